/**
 * Prompt templates: Markdown files in `prompts/` with YAML front matter (id, version, model settings)
 * and two sections, `## system` and `## user`, with `{{placeholders}}`. Validated with zod at load.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const promptFrontMatterSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().positive(),
  temperature: z.number().min(0).max(2).default(0.2),
  max_tokens: z.number().int().positive().max(8192).default(700),
  max_bullets: z.number().int().min(1).max(10).default(6),
});

export interface PromptTemplate extends z.infer<typeof promptFrontMatterSchema> {
  system: string;
  user: string;
  /** `<id>@<version>`: part of every cache key, so a prompt change never serves old answers. */
  ref: string;
}

export class PromptError extends Error {
  override name = 'PromptError';
}

export function parsePrompt(text: string, file: string): PromptTemplate {
  const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/);
  if (!m) throw new PromptError(`${file}: no front matter; start the file with --- id, version --- lines`);
  const meta = promptFrontMatterSchema.safeParse(parseYaml(m[1]!));
  if (!meta.success) {
    const issues = meta.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`);
    throw new PromptError(`${file}: ${issues.join('; ')}`);
  }
  const sections = new Map<string, string>();
  for (const part of m[2]!.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim().toLowerCase(), part.slice(newline + 1).trim());
  }
  const system = sections.get('system');
  const user = sections.get('user');
  if (!system || !user) throw new PromptError(`${file}: needs a "## system" and a "## user" section`);
  if (!user.includes('{{sources}}'))
    throw new PromptError(`${file}: the user section must contain {{sources}}`);
  return { ...meta.data, system, user, ref: `${meta.data.id}@${meta.data.version}` };
}

export async function loadPrompts(dir: string, ids: readonly string[]): Promise<Map<string, PromptTemplate>> {
  const prompts = new Map<string, PromptTemplate>();
  for (const id of ids) {
    const file = path.join(dir, `${id}.md`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new PromptError(`${file}: missing; the ${id} prompt is needed when an LLM is configured`);
    }
    const prompt = parsePrompt(text, file);
    if (prompt.id !== id) throw new PromptError(`${file}: id is "${prompt.id}", expected "${id}"`);
    prompts.set(id, prompt);
  }
  return prompts;
}

/** Fills `{{name}}` placeholders; an unknown placeholder is left as it is. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
