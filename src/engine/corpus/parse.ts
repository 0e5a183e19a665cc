import { parse as parseYaml } from 'yaml';

/** One record found in a file, not yet validated; `line` is 1-based where the format has lines. */
export type ParsedRecord =
  | { ok: true; fields: Record<string, unknown>; line?: number; index?: number }
  | { ok: false; reason: string; line?: number };

/** File endings the loader reads, each with its parser. */
export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.json', '.jsonl'] as const;
export type ArticleExtension = (typeof ARTICLE_EXTENSIONS)[number];

export function parseFile(ext: ArticleExtension, content: string): ParsedRecord[] {
  switch (ext) {
    case '.txt':
      return [parseTxt(content)];
    case '.md':
      return [parseMarkdown(content)];
    case '.json':
      return parseJson(content);
    case '.jsonl':
      return parseJsonLines(content);
  }
}

const HEADER_KEYS = new Set(['title', 'date', 'source', 'publisher', 'url', 'tags', 'id']);

/**
 * Plain text, in one of two shapes: the seed's `date YYYY-MM-DD` token run into the body (leading
 * spaces allowed), or a block of `Key: value` lines ended by a blank line.
 */
export function parseTxt(content: string): ParsedRecord {
  const inline = /^\s*date\s+(\S+)\s+/i.exec(content);
  if (inline !== null && !/^\s*date\s*:/i.test(content)) {
    return { ok: true, fields: { date: inline[1], text: content.slice(inline[0].length) } };
  }
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  const fields: Record<string, unknown> = {};
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break;
    const m = /^\s*([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
    const key = m?.[1]?.toLowerCase();
    if (m === null || key === undefined || !HEADER_KEYS.has(key)) {
      return {
        ok: false,
        reason:
          `line ${i + 1} is neither a "Key: value" header nor a "date YYYY-MM-DD" opening; ` +
          'start the file with "date YYYY-MM-DD" or a header block (Title:, Date:, Source:, URL:) and a blank line',
        line: i + 1,
      };
    }
    fields[key] = m[2]!.trim();
  }
  if (!('date' in fields)) {
    return { ok: false, reason: 'no date: add a "Date: YYYY-MM-DD" header line', line: 1 };
  }
  fields.text = lines.slice(i + 1).join('\n');
  return { ok: true, fields };
}

/** Markdown with YAML front matter between `---` lines. */
export function parseMarkdown(content: string): ParsedRecord {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(content);
  if (m === null) {
    return {
      ok: false,
      reason: 'no YAML front matter: start the file with a "---" block holding at least "date: YYYY-MM-DD"',
      line: 1,
    };
  }
  let front: unknown;
  try {
    front = parseYaml(m[1]!);
  } catch (err) {
    return { ok: false, reason: `front matter is not valid YAML: ${firstLine(err)}`, line: 2 };
  }
  if (front === null || typeof front !== 'object' || Array.isArray(front)) {
    return { ok: false, reason: 'front matter must be a YAML mapping (key: value lines)', line: 2 };
  }
  return { ok: true, fields: { ...(front as Record<string, unknown>), text: content.slice(m[0].length) } };
}

/** One article object, or an array of them. */
export function parseJson(content: string): ParsedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    return [{ ok: false, reason: `not valid JSON: ${firstLine(err)}` }];
  }
  if (Array.isArray(value)) {
    return value.map((v, index) =>
      isObject(v)
        ? { ok: true, fields: v, index }
        : { ok: false, reason: `array element ${index + 1} is not an object` },
    );
  }
  if (isObject(value)) return [{ ok: true, fields: value }];
  return [{ ok: false, reason: 'expected an article object or an array of article objects' }];
}

/** One article object a line; blank lines are skipped; a broken line is reported with its number. */
export function parseJsonLines(content: string): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      records.push(
        isObject(value)
          ? { ok: true, fields: value, line: i + 1 }
          : { ok: false, reason: 'expected a JSON object', line: i + 1 },
      );
    } catch (err) {
      records.push({ ok: false, reason: `not valid JSON: ${firstLine(err)}`, line: i + 1 });
    }
  }
  return records;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
