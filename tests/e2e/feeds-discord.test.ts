/**
 * /feeds end to end: the real discord.js client against the loopback fake Discord, feeds from a loopback
 * feed host, and the bot's own poller (driven by hand, never by waiting).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { FakeClock } from '../helpers/clock.ts';
import { FakeDiscord, type InteractionLog, textOf } from '../helpers/fake-discord.ts';
import { type FeedServer, feedFixture, serve, startFeedServer } from '../helpers/feed-server.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';

const OPERATOR = { id: '500000000000000009', username: 'operator' };
const MANAGE_GUILD = 0x20n;

let fake: FakeDiscord;
const captured = captureLogs();
let feeds: FeedServer;
let scratch: string;
let app: App;
const clock = new FakeClock('2025-01-20T07:00:00Z');

const str = (name: string, value: string) => ({ name, type: 3, value });
const sub = (name: string, options: Record<string, unknown>[] = []) => [{ name, type: 1, options }];
let seq = 800000000000000000n;
function run(command: string, options: Record<string, unknown>[], user = OPERATOR): Promise<InteractionLog> {
  return fake.answered(
    fake.chatInput(command, options as never, {
      user: { ...user, id: user.id ?? String(++seq) },
      permissions: MANAGE_GUILD,
    }),
  );
}
const answer = (log: InteractionLog) => textOf(log.original ?? log.callbacks[0]?.data);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  feeds = await startFeedServer();
  feeds.route(
    '/maritime.xml',
    serve(() => feedFixture('rss2.xml')),
  );
  feeds.route('/down.xml', (_req, res) => res.writeHead(500).end());
  scratch = mkdtempSync(path.join(tmpdir(), 'feeds-discord-'));
  cpSync(FIXTURE_CORPUS, path.join(scratch, 'corpus'), { recursive: true });
  const config = parseConfig({
    DISCORD_TOKEN: 'feeds-test-token',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: 'memory:',
    STATE_URL: `sqlite://${path.join(scratch, 'state.sqlite')}`,
    CORPUS_DIR: path.join(scratch, 'corpus'),
    INDEX_CACHE_DIR: path.join(scratch, 'index'),
    COOLDOWN: '0s',
    LOG_LEVEL: 'debug',
    ADMIN_USER_IDS: OPERATOR.id,
    FEEDS_FILE: path.join(scratch, 'feeds.yaml'),
    FEEDS_STATE_FILE: path.join(scratch, 'feeds-state.json'),
    FEEDS_ALLOW_PRIVATE: 'true',
    FEEDS_DISABLE_AFTER: '2',
  });
  captured.watch(fake);
  app = await startApp(config, captured.logger(config), { clock });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await feeds?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('/feeds', () => {
  it("is for the bot's operators only, not a server's admins", async () => {
    const log = await run('feeds', sub('list'), { id: String(++seq), username: 'server-admin' });
    expect(answer(log)).toMatch(/\/feeds is for the bot's operators \(the users in ADMIN_USER_IDS\)/);
  });

  it('previews a feed (dry run saves nothing), then subscribes', async () => {
    const dry = answer(
      await run(
        'feeds',
        sub('add', [str('url', feeds.url('/maritime.xml')), { name: 'dry_run', type: 5, value: true }]),
      ),
    );
    expect(dry).toMatch(/Feed preview \(not saved\)/);
    expect(dry).toMatch(/Gulf Maritime Watch — RSS, 3 items/);
    expect(dry).toMatch(/2025-01-14 Houthi drones target tanker in the Bab el-Mandeb strait/);
    expect(answer(await run('feeds', sub('list')))).toMatch(/No feeds/);
    const added = answer(
      await run('feeds', sub('add', [str('url', feeds.url('/maritime.xml')), str('topics', 'houthis')])),
    );
    expect(added).toMatch(/Feed added/);
    expect(added).toMatch(/Subscribed as "gulf-maritime-watch"/);
    const rejected = answer(await run('feeds', sub('add', [str('url', 'http://169.254.169.254/latest/')])));
    expect(rejected).toMatch(/blocked address: 169\.254\.169\.254 is a link-local or cloud-metadata address/);
    expect(rejected).toMatch(/Nothing was saved/);
  });

  it('polls in the bot, and the new item is answerable by /brief without a restart (the index extended)', async () => {
    const report = await app.feedPoller.pollNow();
    expect(report?.added).toBe(3);
    // A poll that only adds articles extends the index in service rather than rebuilding it.
    expect(app.library.last).toMatchObject({ ok: true, added: 3, changed: 0, removed: 0, index: 'extended' });
    const brief = answer(await run('brief', [str('topic', 'Zephyr Dawn tanker')]));
    expect(brief).toMatch(/Zephyr Dawn/);
    expect(brief).toMatch(/Gulf Maritime Watch/);
    // The daily post counts the ingested items as new (the corpus the bot started with is not news).
    await run(
      'daily',
      sub('set', [
        { name: 'channel', type: 7, value: fake.channelId },
        str('time', '08:00'),
        str('timezone', 'UTC'),
      ]),
    );
    const daily = answer(await run('daily', sub('preview')));
    expect(daily).toMatch(/Zephyr Dawn|Bab el-Mandeb/);
    expect(daily).not.toMatch(/Nothing new in the corpus/);
    const list = answer(await run('feeds', sub('list')));
    expect(list).toMatch(/gulf-maritime-watch \(active\) Gulf Maritime Watch/);
    expect(list).toMatch(/items 3 · last success 2025-01-20 07:00 UTC · next poll 2025-01-20 07:30 UTC/);
  });

  it('disables a feed after repeated failures and shows why on /feeds list; resume clears it', async () => {
    const file = path.join(scratch, 'feeds.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}  - url: ${feeds.url('/down.xml')}\n    name: down\n`);
    await app.feedPoller.pollNow(true);
    await app.feedPoller.pollNow(true);
    const list = answer(await run('feeds', sub('list')));
    expect(list).toMatch(/down \(disabled\)/);
    expect(list).toMatch(
      /disabled 2025-01-20 07:00 UTC: 2 failures in a row; the last: HTTP 500 Internal Server Error/,
    );
    expect(answer(await run('feeds', sub('resume', [str('name', 'down')])))).toMatch(/resumed "down"/);
    expect(answer(await run('feeds', sub('list')))).toMatch(/down \(active\)/);
    expect(answer(await run('feeds', sub('remove', [str('name', 'down')])))).toMatch(/removed "down"/);
  });
});
