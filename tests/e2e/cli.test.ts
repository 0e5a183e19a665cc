import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { briefingSchema, searchResultSchema, topicListSchema } from '../../src/engine/result.ts';
import { FIXTURE_CORPUS, tempDir } from '../helpers/fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the real command line as a separate process, the way `npm run brief -- …` does. */
const CACHE = mkdtempSync(path.join(tmpdir(), 'cli-index-'));
afterAll(() => rmSync(CACHE, { recursive: true, force: true }));

/** The environment without a state store of its own: each test says which one it uses. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'STATE_URL'));

/**
 * Runs the CLI and waits for it without blocking this worker: a synchronous spawn holds the worker's
 * event loop for the whole run, and on a loaded machine vitest's own calls to the worker then time out.
 */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A scratch index cache, so the tests never write into the working tree.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--index-cache', CACHE], {
    cwd: ROOT,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('command line', () => {
  it('prints a cited briefing from the bundled corpus as exactly one JSON document', async () => {
    const r = await cli('brief', 'kataib-hezbollah', '--json');
    expect(r.code).toBe(0);
    const b = briefingSchema.parse(JSON.parse(r.stdout));
    expect(b.status).toBe('answered');
    expect(b.topic?.slug).toBe('kataib-hezbollah');
    expect(b.bullets.length).toBeGreaterThanOrEqual(3);
    expect(b.sources.map((s) => s.articleId)).toContain('000_9cc44c973fce500b');
    expect(b.corpusVersion).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a question in readable text with numbered citations and a source list', async () => {
    const r = await cli(
      'ask',
      // Not "Which Gulf state": the fixture corpus never says "Gulf", and a name it lacks is missing evidence.
      'Which country has Kataib Hezbollah threatened with drones?',
      '--corpus',
      FIXTURE_CORPUS,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Saudi Arabia with drones\. \[1\]/);
    expect(r.stdout).toMatch(/Sources\n {2}\[1\] /);
  });

  it('says no_sources in JSON for a question the corpus cannot answer', async () => {
    const r = await cli(
      'ask',
      'What triggered the 2017 siege of Marawi?',
      '--corpus',
      FIXTURE_CORPUS,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(briefingSchema.parse(JSON.parse(r.stdout))).toMatchObject({ status: 'no_sources', sources: [] });
  });

  it('prints search results and topics in their documented shapes', async () => {
    const s = await cli('search', 'Tower 22', '--corpus', FIXTURE_CORPUS, '--json', '--limit', '3');
    expect(searchResultSchema.parse(JSON.parse(s.stdout)).results[0]?.articleId).toBe('tower-1');
    const t = await cli('topics', '--corpus', FIXTURE_CORPUS, '--json');
    expect(topicListSchema.parse(JSON.parse(t.stdout)).topics.some((x) => x.slug === 'houthis')).toBe(true);
  });

  it('answers a repeated question from the SQLite cache named by --cache', async () => {
    const url = `sqlite://${path.join(CACHE, 'answers.sqlite')}`;
    const args = ['brief', 'houthis', '--corpus', FIXTURE_CORPUS, '--json', '--cache', url];
    const first = briefingSchema.parse(JSON.parse((await cli(...args)).stdout));
    const second = briefingSchema.parse(JSON.parse((await cli(...args)).stdout));
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.generatedAt).toBe(first.generatedAt);
    const bad = await cli('brief', 'houthis', '--cache', 'memcached://x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CACHE_URL "memcached:\/\/x": use sqlite/);
  });

  it('explains wrong usage and exits non-zero', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage: briefing/);
    const badDate = await cli('brief', 'kh', '--since', '2024-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--since: "2024-02-30" is not a real date/);
    const missing = await cli('brief', 'kh', '--corpus', '/nonexistent/corpus');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/corpus path not found.*--corpus/);
    const noTopic = await cli('brief');
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toMatch(/needs a topic/);
  });

  it('reports rejected files on stderr and still answers from the rest', async () => {
    const r = await cli('brief', 'kh', '--corpus', `${FIXTURE_CORPUS}/../bad`, '--json');
    expect(r.stderr).toMatch(/rejected/);
    expect(r.stderr).toMatch(/mixed\.jsonl:2: not valid JSON/);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('reload validates a corpus, prints the report, and exits 1 when nothing valid loads', async () => {
    const bad = await cli('reload', '--corpus', `${FIXTURE_CORPUS}/../bad`);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(
      /Loaded 1 articles .*: 1 added, 0 changed, 0 removed, 0 unchanged; 8 rejected, 1 duplicates merged/,
    );
    expect(bad.stdout).toMatch(/rejected broken\.json: not valid JSON/);
    const empty = await cli('reload', '--corpus', tempDir('cli-empty'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/reload: nothing usable — No valid article/);
    const json = JSON.parse((await cli('reload', '--corpus', FIXTURE_CORPUS, '--json')).stdout);
    expect(json).toMatchObject({ ok: true, by: 'cli', removed: 0 });
    expect(json.articles).toBeGreaterThan(3);
  });

  it('reload shows control bytes in file names as escapes, never as raw bytes', async () => {
    const dir = tempDir('cli-evil-names');
    cpSync(FIXTURE_CORPUS, dir, { recursive: true });
    writeFileSync(path.join(dir, 'evil\u001b[2Jname\nsecond line\u2060.csv'), 'a,b\n');
    const r = await cli('reload', '--corpus', dir);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('evil'))!;
    expect(line).toBe(
      '  rejected evil\\x1b[2Jname\\x0asecond line\\u2060.csv: unsupported file type ".csv" (use .txt, .md, .json or .jsonl)',
    );
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u2060');
  });

  it('daily --preview prints the post as it would look; without --preview it explains', async () => {
    const r = await cli(
      'daily',
      '--preview',
      '--since',
      '2024-01-01',
      '--corpus',
      FIXTURE_CORPUS,
      '--topics-first',
      'KH',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Daily brief — \d{4}-\d{2}-\d{2}\nPreview: nothing has been posted\./);
    expect(r.stdout).toMatch(/articles? new since 2024-01-01/);
    // The configured topic comes first, its bullets cite the numbered sources listed below.
    expect(r.stdout.split('\n')[4]).toBe("Kata'ib Hezbollah");
    expect(r.stdout).toMatch(/• .+ \[1\]/);
    expect(r.stdout).toMatch(/Sources\n {2}\[1\] /);
    const nothing = await cli('daily', '--preview', '--since', '2099-01-01', '--corpus', FIXTURE_CORPUS);
    expect(nothing.stdout).toMatch(
      /Nothing new in the corpus \(since 2099-01-01; newest article \d{4}-\d{2}-\d{2}\)/,
    );
    const noPreview = await cli('daily');
    expect(noPreview.code).toBe(2);
    expect(noPreview.stderr).toMatch(/add --preview/);
  });

  it('briefs what is new since the last brief --since last, kept in the state store', async () => {
    const none = await cli('brief', 'houthis', '--since', 'last', '--corpus', FIXTURE_CORPUS);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /--since last needs the state store .* --state sqlite:\/\/<file>.* STATE_URL/,
    );
    const state = `sqlite://${path.join(CACHE, 'state.sqlite')}`;
    const args = ['brief', 'houthis', '--since', 'last', '--corpus', FIXTURE_CORPUS, '--state', state];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^You have no earlier briefing on this topic: here is the full one\.\n\nBriefing: /,
    );
    const again = await cli(...args);
    expect(again.stdout).toMatch(
      /^Briefing: Houthis \(Ansar Allah\)\n\nNothing new since your last briefing on \d{4}-\d{2}-\d{2}; its newest source was dated \d{4}-\d{2}-\d{2}\.\n$/,
    );
  });
});
