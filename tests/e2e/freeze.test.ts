/**
 * The bot with its state store and answer cache (both SQLite, the defaults) on a real ext4 file system
 * that is frozen with fsfreeze, as a stalled disk would be: every write to it, and any read that must
 * touch it, waits until it is thawed. The real discord.js client against the loopback Discord, reached
 * by host name (`localhost`) on a new connection for every request, so that each reply needs a DNS
 * lookup on libuv's thread pool as a reply to discord.com does. Runs where this user may make and mount
 * a file system (root); skipped elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { FakeDiscord, type InteractionLog } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';

const ANSWER_WAIT_MS = 60_000;

/** An 8 MiB ext4 image mounted on a scratch directory, or undefined where that is not allowed. */
function mountScratchDisk(): { scratch: string; disk: string } | undefined {
  const scratch = mkdtempSync(path.join(tmpdir(), 'freeze-test-'));
  const image = path.join(scratch, 'disk.img');
  const disk = path.join(scratch, 'disk');
  const ok = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (
    ok('truncate', '-s', '8M', image) &&
    ok('mkfs.ext4', '-q', image) &&
    ok('mkdir', disk) &&
    ok('mount', '-o', 'loop', image, disk)
  )
    return { scratch, disk };
  rmSync(scratch, { recursive: true, force: true });
  return undefined;
}

const mounted = mountScratchDisk();
if (mounted === undefined)
  console.warn(
    'freeze.test.ts skipped: cannot make and mount an ext4 image here (it needs root and a loop device)',
  );
const captured = captureLogs(mounted !== undefined);

describe.runIf(mounted !== undefined)('the bot while the disk under its SQLite files is frozen', () => {
  const { scratch, disk } = mounted ?? { scratch: '', disk: '' };
  let fake: FakeDiscord;
  let app: App;
  let frozen = false;
  const thaw = () => {
    if (frozen) spawnSync('fsfreeze', ['-u', disk]);
    frozen = false;
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ closeConnections: true });
    captured.watch(fake);
    const config = parseConfig({
      DISCORD_TOKEN: 'freeze-test-token',
      DISCORD_APP_ID: fake.appId,
      DISCORD_API_URL: `http://localhost:${fake.port}/api`,
      CACHE_URL: `sqlite://${path.join(disk, 'answers.sqlite')}`,
      STATE_URL: `sqlite://${path.join(disk, 'state.sqlite')}`,
      CORPUS_DIR: FIXTURE_CORPUS,
      INDEX_CACHE_DIR: path.join(scratch, 'index'),
      COOLDOWN: '0s',
      SHUTDOWN_TIMEOUT: '5s',
      LOG_LEVEL: 'debug',
    });
    app = await startApp(config, captured.logger(config));
  });

  afterAll(async () => {
    thaw();
    await app?.stop().catch(() => {});
    await fake?.close();
    spawnSync('umount', [disk]);
    rmSync(scratch, { recursive: true, force: true });
  });

  let userSeq = 900000000000000000n;
  const newUser = () => ({ id: String(++userSeq), username: `user${userSeq}` });
  const brief = (topic: string, since?: string) =>
    fake.chatInput(
      'brief',
      [
        { name: 'topic', type: 3, value: topic },
        ...(since === undefined ? [] : [{ name: 'since', type: 3, value: since }]),
      ],
      { user: newUser() },
    );

  it('answers every command and autocomplete while frozen, each answer in full', async () => {
    expect((await fake.answered(brief('houthis'), ANSWER_WAIT_MS)).original).toBeDefined();
    expect(spawnSync('fsfreeze', ['-f', disk]).status).toBe(0);
    frozen = true;
    try {
      // Each answer is new to the cache: its write waits on the frozen disk, as does each history write.
      const sent: InteractionLog[] = [
        ...['kataib-hezbollah', 'hezbollah', 'hamas', 'iran', 'iraq', 'red sea', 'drones', 'tower 22'].map(
          (topic) => brief(topic),
        ),
        brief('houthis', 'last'),
        brief('kataib-hezbollah', 'last'),
        fake.chatInput('search', [{ name: 'query', type: 3, value: 'drone' }], { user: newUser() }),
        fake.autocomplete('brief', [{ name: 'topic', type: 3, value: 'hou', focused: true }]),
      ];
      for (const log of sent) await fake.answered(log, ANSWER_WAIT_MS);
      for (const log of sent.filter((l) => l.callbacks[0]?.type === 5))
        expect(log.original ?? log.followUps[0], log.id).toBeDefined();
      // The stall was real: writes to the cache failed by their deadline while the answers went out.
      await fake.waitFor(
        () => captured.lines.some((l) => l.msg === 'cache set failed; the answer was not stored'),
        ANSWER_WAIT_MS,
        'a cache write to fail on the frozen disk',
      );
    } finally {
      thaw();
    }
    // Thawed, it answers as before.
    expect((await fake.answered(brief('hamas'), ANSWER_WAIT_MS)).original).toBeDefined();
  }, 300_000);
});
