/**
 * The feeds on the command line, as processes against a loopback feed host: subscribe with a preview,
 * ingest, and the new item answers `brief` without anything else done.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { briefingSchema } from '../../src/engine/result.ts';
import { type FeedServer, feedFixture, serve, startFeedServer } from '../helpers/feed-server.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let server: FeedServer;
let dir: string;
let files: string[];

/** The real CLI as a process; asynchronous, so that this process's feed server can answer it. */
function cli(env: Record<string, string>, ...args: string[]) {
  const argv = ['--import', 'tsx', 'src/cli.ts', ...args];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }),
    );
  });
}

const LOOPBACK = { FEEDS_ALLOW_PRIVATE: 'true' };

beforeAll(async () => {
  server = await startFeedServer();
  server.route(
    '/maritime.xml',
    serve(() => feedFixture('rss2.xml'), { etag: '"m1"' }),
  );
  server.route('/down.xml', (_req, res) => res.writeHead(500).end());
  dir = mkdtempSync(path.join(tmpdir(), 'feeds-cli-'));
  cpSync(FIXTURE_CORPUS, path.join(dir, 'corpus'), { recursive: true });
  files = [
    '--feeds',
    path.join(dir, 'feeds.yaml'),
    '--feeds-state',
    path.join(dir, 'state', 'feeds.json'),
    '--corpus',
    path.join(dir, 'corpus'),
  ];
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('feeds on the command line', () => {
  it('refuses a loopback feed without FEEDS_ALLOW_PRIVATE, saying why, and saves nothing', async () => {
    const r = await cli(
      { FEEDS_ALLOW_PRIVATE: 'false' },
      'feeds',
      'add',
      server.url('/maritime.xml'),
      ...files,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('blocked address: 127.0.0.1 is a loopback or private address');
    expect(r.stderr).toContain('Nothing was saved.');
    expect(existsSync(path.join(dir, 'feeds.yaml'))).toBe(false);
  });

  it('previews with --dry-run without saving, then subscribes', async () => {
    const dry = await cli(LOOPBACK, 'feeds', 'add', server.url('/maritime.xml'), '--dry-run', ...files);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Gulf Maritime Watch — RSS, 3 items');
    expect(dry.stdout).toContain('2025-01-14  Houthi drones target tanker in the Bab el-Mandeb strait');
    expect(dry.stdout).toContain('Dry run: not saved');
    expect(existsSync(path.join(dir, 'feeds.yaml'))).toBe(false);

    const add = await cli(
      LOOPBACK,
      'feeds',
      'add',
      server.url('/maritime.xml'),
      '--topics',
      'houthis',
      ...files,
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Subscribed as "gulf-maritime-watch"');
    const yaml = readFileSync(path.join(dir, 'feeds.yaml'), 'utf8');
    expect(yaml).toContain(`url: ${server.url('/maritime.xml')}`);
    expect(yaml).toContain('name: gulf-maritime-watch');
    const again = await cli(LOOPBACK, 'feeds', 'add', server.url('/maritime.xml'), ...files);
    expect(again.stderr).toContain('already subscribed as "gulf-maritime-watch"');
  });

  it('ingests the new items, and brief answers from them with no other step', async () => {
    const briefZephyr = () =>
      cli(
        {},
        'brief',
        'Zephyr Dawn tanker',
        '--json',
        '--corpus',
        path.join(dir, 'corpus'),
        '--no-index-cache',
      );
    const before = await briefZephyr();
    expect(briefingSchema.parse(JSON.parse(before.stdout)).sources.map((s) => s.articleId)).not.toContain(
      'feeds/gulf-maritime-watch/2025-01-14-houthi-drones-target-tanker-in-the-bab-el-mandeb-strait',
    );
    const ingest = await cli(LOOPBACK, 'ingest', ...files);
    expect(ingest.stdout).toContain('✓ gulf-maritime-watch: 3 new, 0 updated');
    expect(ingest.stdout).toContain('1 feed polled, 0 not due: 3 new articles, 0 updated, 0 failed.');
    expect(ingest.code).toBe(0);
    const after = await briefZephyr();
    expect(after.code).toBe(0);
    const b = briefingSchema.parse(JSON.parse(after.stdout));
    expect(b.status).toBe('answered');
    expect(b.sources[0]).toMatchObject({
      articleId:
        'feeds/gulf-maritime-watch/2025-01-14-houthi-drones-target-tanker-in-the-bab-el-mandeb-strait',
      publisher: 'Gulf Maritime Watch',
      url: 'https://maritime.example/2025/01/houthi-drones-tanker',
    });
    // Not due again for 30 minutes; --force polls it now, and the 304 writes nothing.
    const idle = await cli(LOOPBACK, 'ingest', ...files);
    expect(idle.stdout).toContain('0 feeds polled, 1 not due');
    const forced = await cli(LOOPBACK, 'ingest', '--force', ...files);
    expect(forced.stdout).toContain('· gulf-maritime-watch: not modified');
  });

  it('exits 1 when a feed fails, and lists the failure; pause and resume', async () => {
    await cli(LOOPBACK, 'feeds', 'add', server.url('/maritime.xml').replace('maritime', 'down'), ...files);
    // Adding a feed that cannot be read saves nothing; subscribe by hand as an operator editing the file would.
    const yamlFile = path.join(dir, 'feeds.yaml');
    const yaml = readFileSync(yamlFile, 'utf8');
    expect(yaml).not.toContain('down.xml');
    writeFileSync(yamlFile, `${yaml}  - url: ${server.url('/down.xml')}\n    name: down\n`);
    const r = await cli(LOOPBACK, 'ingest', ...files);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ down: HTTP 500 Internal Server Error');
    const list = await cli(LOOPBACK, 'feeds', 'list', ...files);
    expect(list.stdout).toContain('down (active)');
    expect(list.stdout).toMatch(/last error .* UTC: HTTP 500 Internal Server Error \(1 in a row\)/);
    expect(list.stdout).toContain('gulf-maritime-watch (active) Gulf Maritime Watch');
    expect((await cli(LOOPBACK, 'feeds', 'pause', 'down', ...files)).stdout).toContain('paused "down"');
    expect((await cli(LOOPBACK, 'feeds', 'list', ...files)).stdout).toContain('down (paused)');
    expect((await cli(LOOPBACK, 'feeds', 'remove', 'down', ...files)).stdout).toContain('removed "down"');
    expect((await cli(LOOPBACK, 'feeds', 'remove', 'nope', ...files)).code).toBe(1);
  });
});
