import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start (src/main.ts) as a process', () => {
  let fake: FakeDiscord;
  let scratch: string;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    scratch = mkdtempSync(path.join(tmpdir(), 'main-test-'));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('logs in, answers, and on SIGTERM disconnects and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: 'process-token',
        DISCORD_APP_ID: fake.appId,
        DISCORD_API_URL: fake.apiUrl,
        CACHE_URL: `sqlite://${path.join(scratch, 'answers.sqlite')}`,
        STATE_URL: `sqlite://${path.join(scratch, 'state.sqlite')}`,
        CORPUS_DIR: FIXTURE_CORPUS,
        INDEX_CACHE_DIR: path.join(scratch, 'index'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await fake
      .waitFor(() => output.includes('"msg":"logged in"'), 30_000, 'the bot to log in')
      .catch((err) => {
        child.kill('SIGKILL');
        throw new Error(`${(err as Error).message}\n${output}`);
      });
    const log = await fake.answered(fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }]));
    expect(JSON.stringify(log.original)).toMatch(/Briefing: Houthis/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/"msg":"disconnected from Discord"/);
    expect(output).not.toContain('process-token');
    expect(fake.openSockets).toBe(0);
  });
});
