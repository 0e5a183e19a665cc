import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { LIMITS } from '../../src/discord/pack.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { embedsOf, FakeDiscord, type InteractionLog, textOf } from '../helpers/fake-discord.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';

const TOKEN = 'test-token-abc123';
const EPHEMERAL = 64;

let fake: FakeDiscord;
let app: App;
let scratch: string;
const captured = captureLogs();
const logLines = captured.lines;
/** Lets a test hold the engine mid-answer: `/brief slow-topic` waits until the test opens the gate. */
let gate: Promise<void> = Promise.resolve();
function holdEngine(): () => void {
  let open!: () => void;
  gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return open;
}

function slowable(engine: Engine): Engine {
  const wrapped = Object.create(engine) as Engine;
  wrapped.brief = async (topic, options) => {
    if (topic === 'explode') throw new Error('index exploded');
    if (topic === 'slow-topic') {
      await gate;
      return engine.brief('houthis', options);
    }
    return engine.brief(topic, options);
  };
  return wrapped;
}

let userSeq = 400000000000000000n;
/** A new user per test, so the per-user cooldown only applies where a test wants it. */
const newUser = () => ({ id: String(++userSeq), username: `user${userSeq}` });

/** Every message the bot sent must fit Discord's limits and ping nobody. */
function expectWithinLimits(message: Record<string, unknown>): void {
  expect(message.allowed_mentions).toEqual({ parse: [] });
  const embeds = embedsOf(message);
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  let total = 0;
  for (const e of embeds) {
    const fields = (e.fields as { name: string; value: string }[] | undefined) ?? [];
    expect(String(e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
    expect(fields.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of fields) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    total += String(e.title ?? '').length + String(e.description ?? '').length;
    total += String((e.footer as { text?: string } | undefined)?.text ?? '').length;
    for (const f of fields) total += f.name.length + f.value.length;
  }
  expect(total).toBeLessThanOrEqual(LIMITS.messageEmbedChars);
  expect(String(message.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  scratch = mkdtempSync(path.join(tmpdir(), 'discord-test-'));
  const config = parseConfig({
    DISCORD_TOKEN: TOKEN,
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: 'memory:',
    STATE_URL: 'memory:',
    CORPUS_DIR: FIXTURE_CORPUS,
    INDEX_CACHE_DIR: path.join(scratch, 'index'),
    COOLDOWN: '60s',
    SHUTDOWN_TIMEOUT: '5s',
    LOG_LEVEL: 'debug',
  });
  captured.watch(fake);
  app = await startApp(config, captured.logger(config), { wrapEngine: slowable });
});

afterAll(async () => {
  await app?.stop().catch(() => {});
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the bot against a loopback Discord', () => {
  it('logs in through the gateway: /gateway/bot, then IDENTIFY with the token', async () => {
    await fake.identified;
    const gateway = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gateway?.authorization).toBe(`Bot ${TOKEN}`);
    expect(app.discord.client.guilds.cache.has(fake.guildId)).toBe(true);
  });

  it('registers its commands to a guild and reports what changed', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(TOKEN);
    const first = await deployCommands({ rest, appId: fake.appId, guildId: fake.guildId, commands });
    expect(first.added.sort()).toEqual([
      'ask',
      'brief',
      'daily',
      'feeds',
      'help',
      'reload',
      'search',
      'status',
      'topics',
    ]);
    const registered = fake.commands.get(fake.guildId)!;
    // Admin commands are hidden from members without Manage Server (0x20), and not offered in DMs.
    for (const name of ['daily', 'reload', 'status', 'feeds']) {
      const admin = registered.find((c) => c.name === name)!;
      expect(admin.default_member_permissions).toBe('32');
      expect(admin.contexts).toEqual([0]);
    }
    const brief = registered.find((c) => c.name === 'brief')!;
    expect(brief.options).toContainEqual(
      expect.objectContaining({ name: 'topic', autocomplete: true, required: true }),
    );
    const again = await deployCommands({ rest, appId: fake.appId, guildId: fake.guildId, commands });
    expect(again.added).toEqual([]);
    expect(again.unchanged).toHaveLength(commands.length);
  });

  it('answers /brief by deferring privately, then editing in a cited briefing within the limits', async () => {
    const log = await fake.answered(
      fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'kataib-hezbollah' }], { user: newUser() }),
    );
    expect(log.callbacks[0]).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const message = log.original!;
    expectWithinLimits(message);
    const [embed] = embedsOf(message);
    expect(embed!.title).toMatch(/^Briefing: Kata'?ib Hezbollah$/);
    // The newest coverage leads, under its heading, each bullet dated by its source.
    expect(String(embed!.description)).toMatch(/^\*\*Latest\*\*\n• \d{4}-\d{2}-\d{2} · .+ \[1\]/);
    const sources = (embed!.fields as { name: string; value: string }[]).find((f) => f.name === 'Sources')!;
    expect(sources.value).toMatch(/^\[1\] /);
    // Every number cited in a bullet has a line in the sources list.
    for (const [, n] of String(embed!.description).matchAll(/\[(\d+)\]/g)) {
      expect(sources.value).toMatch(new RegExp(`(^|\\n)\\[${n}\\] `));
    }
    expect((embed!.footer as { text: string }).text).toMatch(
      /^corpus [0-9a-f]{8} · as of \d{4}-\d{2}-\d{2}$/,
    );
    const button = JSON.stringify(message.components);
    expect(button).toMatch(/"custom_id":"share:[0-9a-f]+"/);
  });

  it('shares a private answer to the channel when Share is pressed', async () => {
    const user = newUser();
    const log = await fake.answered(
      fake.chatInput(
        'ask',
        [
          {
            name: 'question',
            type: 3,
            value: 'Which country has Kataib Hezbollah threatened with drones?',
          },
        ],
        { user },
      ),
    );
    const customId = String(JSON.stringify(log.original!.components).match(/share:[0-9a-f]+/)![0]);
    const click = await fake.answered(
      fake.button(customId, { id: '1', channel_id: fake.channelId, ...log.original }, { user }),
    );
    expect(click.callbacks[0]!.type).toBe(4);
    const shared = click.callbacks[0]!.data!;
    expect(shared.flags ?? 0).toBe(0);
    expect(shared.content).toBe(`Shared by ${user.username}`);
    expect(textOf(shared)).toContain('Saudi Arabia');
    expectWithinLimits(shared);
  });

  it("answers from a press briefing with the official's words, attributed, never the reporter's premise", async () => {
    const log = await fake.answered(
      fake.chatInput(
        'ask',
        [
          {
            name: 'question',
            type: 3,
            value: 'What did the United States say about the Khor Abdullah waterway?',
          },
        ],
        { user: newUser() },
      ),
    );
    const text = textOf(log.original);
    expect(text).toMatch(
      /2024-06-10 · The United States has urged Iraq and Kuwait to keep the Khor Abdullah waterway open[^\n]*\[\d\] — John Kirby, NSC Coordinator for Strategic Communications/,
    );
    expect(text).not.toMatch(/closed the Khor Abdullah waterway to every ship/);
  });

  it('says honestly that the corpus has nothing, for /ask outside it', async () => {
    const log = await fake.answered(
      fake.chatInput(
        'ask',
        [{ name: 'question', type: 3, value: 'What triggered the 2017 siege of Marawi?' }],
        { user: newUser() },
      ),
    );
    expect(textOf(log.original)).toMatch(/The corpus has nothing on this/);
    expect(JSON.stringify(log.original!.components ?? [])).not.toMatch(/share:/);
  });

  it('posts a public briefing without the ephemeral flag when public:true', async () => {
    const log = await fake.answered(
      fake.chatInput(
        'brief',
        [
          { name: 'topic', type: 3, value: 'houthis' },
          { name: 'public', type: 5, value: true },
        ],
        { user: newUser() },
      ),
    );
    expect(log.callbacks[0]).toEqual({ type: 5, data: { flags: 0 } });
    expect(textOf(log.original)).toMatch(/\[1\]/);
  });

  it('suggests topics while typing, ranked, at most 25, with article counts', async () => {
    const log = await fake.answered(
      fake.autocomplete('brief', [{ name: 'topic', type: 3, value: 'katai', focused: true }]),
    );
    expect(log.callbacks[0]!.type).toBe(8);
    const choices = log.callbacks[0]!.data!.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]!.value).toBe('kataib-hezbollah');
    expect(choices[0]!.name).toMatch(/^Kata'?ib Hezbollah \(\d+ articles?\)$/);
    const typo = await fake.answered(
      fake.autocomplete('brief', [{ name: 'topic', type: 3, value: 'hizbollah', focused: true }]),
    );
    const values = (typo.callbacks[0]!.data!.choices as { value: string }[]).map((c) => c.value);
    expect(values).toContain('hezbollah');
  });

  it('lists search results, topics and help', async () => {
    const search = await fake.answered(
      fake.chatInput('search', [{ name: 'query', type: 3, value: 'drones Saudi Arabia' }], {
        user: newUser(),
      }),
    );
    expect(textOf(search.original)).toMatch(/\*\*1\. .+\*\* \(\d{4}-\d{2}-\d{2}\)/);
    const topics = await fake.answered(fake.chatInput('topics', [], { user: newUser() }));
    expect(textOf(topics.original)).toMatch(/`kataib-hezbollah` — \d+ articles?/);
    for (const m of [topics.original!, ...topics.followUps]) expectWithinLimits(m);
    const help = await fake.answered(fake.chatInput('help', [], { user: newUser() }));
    expect(help.callbacks[0]!.type).toBe(4);
    expect(help.callbacks[0]!.data!.flags).toBe(EPHEMERAL);
    expect(textOf(help.callbacks[0]!.data)).toMatch(
      /\d+ articles \(\d+ passages\), \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/,
    );
  });

  it('works in a DM as well as in a guild', async () => {
    const log = await fake.answered(
      fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }], { user: newUser(), dm: true }),
    );
    expect(textOf(log.original)).toMatch(/Briefing: Houthis/);
  });

  it('asks a user who is too quick to wait, saying for how long', async () => {
    const user = newUser();
    await fake.answered(fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }], { user }));
    const second = await fake.answered(
      fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'houthis' }], { user }),
    );
    expect(second.callbacks[0]!.type).toBe(4);
    expect(second.callbacks[0]!.data!.flags).toBe(EPHEMERAL);
    expect(textOf(second.callbacks[0]!.data)).toMatch(/try again in \d+s/);
  });

  it('refuses an over-long question with a clear, private message', async () => {
    const log = await fake.answered(
      fake.chatInput('ask', [{ name: 'question', type: 3, value: 'why '.repeat(500) }], { user: newUser() }),
    );
    expect(log.callbacks[0]!.type).toBe(4);
    expect(log.callbacks[0]!.data!.flags).toBe(EPHEMERAL);
    expect(textOf(log.callbacks[0]!.data)).toMatch(/1999 characters long; the limit is 500/);
  });

  it('neutralises mentions and markdown echoed from the question', async () => {
    const log = await fake.answered(
      fake.chatInput(
        'ask',
        [{ name: 'question', type: 3, value: '@everyone **who** leads <@&123> Kataib\u0007 Hezbollah?' }],
        { user: newUser() },
      ),
    );
    expectWithinLimits(log.original!);
    const title = String(embedsOf(log.original)[0]!.title);
    expect(title).not.toMatch(/@everyone|\*\*who\*\*/);
    expect(title).not.toContain('\u0007');
    expect(title).toContain('\\*\\*who\\*\\*');
  });

  it('echoes no word joiner, Arabic letter mark or soft hyphen in any reply', async () => {
    const marked = 'Hou\u2060this\u061c in Ye\u00admen';
    const asks: [string, { name: string; type: number; value: string }[]][] = [
      ['ask', [{ name: 'question', type: 3, value: `Who attacked ships near ${marked}?` }]],
      ['brief', [{ name: 'topic', type: 3, value: marked }]],
      ['brief', [{ name: 'topic', type: 3, value: 'zz\u2060qq\u00adxx\u061cyy' }]],
      ['search', [{ name: 'query', type: 3, value: marked }]],
    ];
    for (const [command, options] of asks) {
      const log = await fake.answered(fake.chatInput(command, options, { user: newUser() }), 30_000);
      const replies = JSON.stringify([log.callbacks, log.original, log.followUps]);
      expect(replies, command).not.toMatch(/\\u(2060|061c|00ad)|[\u2060\u061c\u00ad]/i);
    }
    const suggestions = await fake.answered(
      fake.autocomplete('brief', [{ name: 'topic', type: 3, value: 'Hou\u2060th', focused: true }]),
      30_000,
    );
    expect(JSON.stringify(suggestions.callbacks)).not.toMatch(/[\u2060\u061c\u00ad]/);
  });

  it('turns an engine failure into a private message with an error id, and logs the stack', async () => {
    const log = await fake.answered(
      fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'explode' }], { user: newUser() }),
    );
    const text = textOf(log.original);
    expect(text).toMatch(/Something went wrong/);
    const errorId = text.match(/Error id: `([0-9a-f]{8})`/)![1];
    const logged = logLines.find((l) => l.errorId === errorId)!;
    expect(logged.command).toBe('brief');
    expect(String((logged.err as { stack: string }).stack)).toMatch(/index exploded/);
  });

  it('turns the deferred reply of a failed public answer into the error: edited, never deleted', async () => {
    const log = await fake.answered(
      fake.chatInput(
        'brief',
        [
          { name: 'topic', type: 3, value: 'explode' },
          { name: 'public', type: 5, value: true },
        ],
        { user: newUser() },
      ),
    );
    expect(log.callbacks).toEqual([{ type: 5, data: { flags: 0 } }]);
    expect(log.deleted).toBe(false);
    expect(log.followUps).toEqual([]);
    expect(textOf(log.original)).toMatch(/Something went wrong[\s\S]*Error id: `[0-9a-f]{8}`/);
    expect(log.original!.components).toEqual([]);
    expect(fake.requests.some((r) => r.method === 'DELETE' && r.path.includes(log.token))).toBe(false);
  });

  it('defers before slow work, so Discord never times the interaction out', async () => {
    const release = holdEngine();
    const log = fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'slow-topic' }], {
      user: newUser(),
    });
    await fake.waitFor(() => log.callbacks.length > 0, 10_000, 'the deferral');
    expect(log.callbacks[0]!.type).toBe(5);
    expect(log.original).toBeUndefined();
    release();
    await fake.answered(log);
    expect(textOf(log.original)).toMatch(/\[1\]/);
  });

  it('logs a failed call to Discord with its URL, the interaction token in it redacted', async () => {
    // Discord refuses the deferral: the error discord.js throws carries the callback URL, token and all.
    fake.failNext('POST /interactions', 404);
    const log = await fake.answered(fake.chatInput('help', [], { user: newUser() }), 30_000);
    expect(textOf(log.callbacks[0]?.data)).toMatch(/Something went wrong/);
    const failed = logLines.find((l) => l.interaction === log.id && l.msg === 'command failed');
    const url = String((failed?.err as { url?: unknown } | undefined)?.url);
    expect(url).toContain(`/interactions/${log.id}/[redacted]/callback`);
    expect(JSON.stringify(failed)).not.toContain(log.token);
  });

  it('logs at info that the shard resumed after Discord dropped its connection, and answers again', async () => {
    const resumes = () => logLines.filter((l) => l.msg === 'shard resumed').length;
    const before = resumes();
    // 4000 (unknown error) is one Discord sends before a resume is expected.
    fake.closeGateway(4000);
    await fake.waitFor(() => resumes() > before, 30_000, 'the resume to be logged');
    const line = logLines.filter((l) => l.msg === 'shard resumed').at(-1)!;
    expect(line).toMatchObject({ level: 30, shard: 0 });
    const log = await fake.answered(fake.chatInput('help', [], { user: newUser() }), 30_000);
    expect(textOf(log.original ?? log.callbacks[0]?.data)).toMatch(/\/brief/);
  });

  it('logs one line per interaction with its ids, latency and outcome, never the token', () => {
    const answered = logLines.filter((l) => l.msg === 'answered');
    expect(answered.length).toBeGreaterThan(3);
    for (const line of answered) {
      expect(line).toEqual(
        expect.objectContaining({ interaction: expect.any(String), user: expect.any(String) }),
      );
      expect(line.latencyMs).toEqual(expect.any(Number));
      expect(line.outcome).toBe('ok');
    }
    const all = JSON.stringify(logLines);
    expect(all).not.toContain(TOKEN);
    expect(fake.interactions.size).toBeGreaterThan(3);
    for (const token of fake.interactions.keys()) expect(all).not.toContain(token);
  });

  it('shuts down cleanly: finishes work in flight, turns new work away, disconnects', async () => {
    const release = holdEngine();
    const inFlight = fake.chatInput('brief', [{ name: 'topic', type: 3, value: 'slow-topic' }], {
      user: newUser(),
    });
    await fake.waitFor(() => inFlight.callbacks.length > 0, 10_000, 'the deferral');
    const stopping = app.stop();
    const late: InteractionLog = await fake.answered(fake.chatInput('help', [], { user: newUser() }));
    expect(textOf(late.callbacks[0]!.data)).toMatch(/restarting/);
    release();
    await stopping;
    expect(textOf(inFlight.original)).toMatch(/\[1\]/);
    await fake.waitFor(() => fake.openSockets === 0, 5000, 'the gateway to close');
  });
});
