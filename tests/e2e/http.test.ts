/**
 * HTTP_PORT: /healthz and /metrics over real HTTP on 127.0.0.1, from the bot running two shards against
 * the loopback fake Discord (which can hold a shard down to show the probe turning 503 and back).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { FakeDiscord } from '../helpers/fake-discord.ts';
import { FakeOpenAI } from '../helpers/fake-openai.ts';
import { FIXTURE_CORPUS } from '../helpers/fixtures.ts';
import { captureLogs } from '../helpers/logs.ts';
import { sample, until } from '../helpers/poll.ts';

const MANAGE_GUILD = 0x20n;
const houthis = [{ name: 'topic', type: 3, value: 'houthis' }];

let fake: FakeDiscord;
const captured = captureLogs();
let app: App;
let scratch: string;

const url = (p: string, on: App = app) => `http://127.0.0.1:${on.http!.port}${p}`;

interface Healthz {
  ok: boolean;
  reasons: string[];
  shards: { id: number; ready: boolean }[];
  corpus?: { version: string };
}

async function health(): Promise<{ status: number; body: Healthz }> {
  const res = await fetch(url('/healthz'));
  return { status: res.status, body: (await res.json()) as Healthz };
}

beforeAll(async () => {
  // Heartbeats every second, so that each shard's ping (briefing_shard_latency_seconds) is known soon.
  fake = await FakeDiscord.start({ heartbeatIntervalMs: 1000 });
  scratch = mkdtempSync(path.join(tmpdir(), 'http-test-'));
  const config = parseConfig({
    DISCORD_TOKEN: 'http-test-token',
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    CACHE_URL: 'memory:',
    STATE_URL: 'memory:',
    CORPUS_DIR: FIXTURE_CORPUS,
    INDEX_CACHE_DIR: path.join(scratch, 'index'),
    COOLDOWN: '0s',
    SHUTDOWN_TIMEOUT: '5s',
    LOG_LEVEL: 'debug',
    SHARD_COUNT: '2',
    HTTP_PORT: '0',
  });
  captured.watch(fake);
  app = await startApp(config, captured.logger(config));
});

afterAll(async () => {
  await app?.stop().catch(() => {});
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('health and metrics over HTTP', () => {
  it('listens on 127.0.0.1 by default, and says where to look on an unknown path', async () => {
    expect(app.http).toBeDefined();
    const res = await fetch(url('/nothing'));
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/healthz/);
  });

  it('/healthz is 200 with every shard ready, the index loaded and the state store answering', async () => {
    const { status, body } = await until(health, (h) => h.status === 200, 'a healthy bot');
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.shards.map((s) => [s.id, s.ready])).toEqual([
      [0, true],
      [1, true],
    ]);
    expect(body.corpus?.version).toBe(app.engine().corpusVersion);
  });

  it('/healthz turns 503 naming the shard while one is down, and 200 again once it resumes', async () => {
    fake.holdShard(1);
    const down = await until(health, (h) => h.status === 503, 'a 503 while shard 1 is held');
    expect(down.body.ok).toBe(false);
    expect(down.body.reasons.join('\n')).toMatch(/shard 1 is \w+ \(not ready for \d+ s\)/);
    expect(down.body.shards.find((s) => s.id === 0)?.ready).toBe(true);
    fake.releaseShard(1);
    const up = await until(health, (h) => h.status === 200, 'a 200 once shard 1 resumed');
    expect(up.body.reasons).toEqual([]);
  });

  it('/metrics counts interactions by command and outcome, with latency, corpus and shard series', async () => {
    await fake.answered(fake.chatInput('help'));
    await fake.answered(fake.chatInput('nosuchcommand'));
    const text = await until(
      async () => (await fetch(url('/metrics'))).text(),
      (t) => t.includes('outcome="unknown_command"'),
      'the interactions counted',
    );
    const res = await fetch(url('/metrics'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE briefing_interactions_total counter');
    expect(text).toMatch(/^briefing_interactions_total\{command="help",outcome="ok"\} 1$/m);
    expect(text).toMatch(
      /^briefing_interactions_total\{command="nosuchcommand",outcome="unknown_command"\} 1$/m,
    );
    expect(text).toMatch(/^briefing_interaction_duration_seconds_bucket\{command="help",le="\+Inf"\} 1$/m);
    expect(text).toMatch(/^briefing_interaction_duration_seconds_count\{command="help"\} 1$/m);
    const { articles, corpusVersion } = app.engine().stats();
    expect(text).toContain(`briefing_corpus_articles ${articles}`);
    expect(text).toContain(`briefing_corpus_info{version="${corpusVersion}"} 1`);
    expect(text).toMatch(/^briefing_shard_up\{shard="0"\} 1$/m);
    expect(text).toMatch(/^briefing_shard_up\{shard="1"\} 1$/m);
    expect(text).toMatch(/^briefing_cache_hits_total \d+$/m);
    expect(text).toMatch(/^briefing_event_loop_lag_seconds\{quantile="0.99"\} [\d.e+-]+$/m);
  });
});

describe('metrics on the real paths', () => {
  it('times the first response and the answer, counts cache hits and misses, and reloads', async () => {
    await fake.answered(fake.chatInput('brief', houthis));
    await fake.answered(fake.chatInput('brief', houthis));
    await fake.answered(fake.chatInput('reload', [], { permissions: MANAGE_GUILD }), 60_000);
    const text = await until(
      async () => (await fetch(url('/metrics'))).text(),
      (t) => sample(t, 'briefing_interactions_total{command="reload",outcome="ok"}') === 1,
      'the reload counted',
    );
    expect(sample(text, 'briefing_interactions_total{command="brief",outcome="ok"}')).toBe(2);
    // Both briefs were acknowledged (a deferral) and answered: one observation each, first and final.
    expect(sample(text, 'briefing_first_response_seconds_count{command="brief"}')).toBe(2);
    expect(sample(text, 'briefing_first_response_seconds_bucket{command="brief",le="+Inf"}')).toBe(2);
    expect(sample(text, 'briefing_interaction_duration_seconds_count{command="brief"}')).toBe(2);
    expect(sample(text, 'briefing_first_response_seconds_count{command="help"}')).toBe(1);
    expect(sample(text, 'briefing_cache_misses_total')).toBe(1);
    expect(sample(text, 'briefing_cache_hits_total')).toBe(1);
    expect(sample(text, 'briefing_cache_hit_ratio')).toBe(0.5);
    expect(sample(text, 'briefing_reloads_total{outcome="ok",origin="here"}')).toBe(1);
    expect(sample(text, 'briefing_heap_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'briefing_resident_memory_bytes')).toBeGreaterThan(0);
    const pinged = await until(
      async () => (await fetch(url('/metrics'))).text(),
      (t) => /^briefing_shard_latency_seconds\{shard="1"\} /m.test(t),
      'a heartbeat on each shard',
    );
    expect(sample(pinged, 'briefing_shard_latency_seconds{shard="0"}')).toBeGreaterThanOrEqual(0);
  });

  it('counts model calls by outcome, and each fallback to the offline summary by reason', async () => {
    const openai = await FakeOpenAI.start();
    const modelFake = await FakeDiscord.start();
    captured.watch(modelFake);
    const config = parseConfig({
      DISCORD_TOKEN: 'http-test-token',
      DISCORD_APP_ID: modelFake.appId,
      DISCORD_API_URL: modelFake.apiUrl,
      CORPUS_DIR: FIXTURE_CORPUS,
      INDEX_CACHE_DIR: path.join(scratch, 'index'),
      COOLDOWN: '0s',
      SHUTDOWN_TIMEOUT: '5s',
      LOG_LEVEL: 'debug',
      HTTP_PORT: '0',
      OPENAI_API_KEY: 'sk-http-test',
      OPENAI_BASE_URL: openai.baseURL,
    });
    const withModel = await startApp(config, captured.logger(config));
    try {
      // A readable answer with no bullet (none survives verification), then a request the server refuses.
      openai.answerWith({ content: '{"bullets": []}' }, { status: 400, message: 'unsupported parameter' });
      await modelFake.answered(modelFake.chatInput('brief', houthis), 60_000);
      await modelFake.answered(
        modelFake.chatInput('ask', [
          { name: 'question', type: 3, value: 'Which country has Kataib Hezbollah threatened with drones?' },
        ]),
        60_000,
      );
      const text = await (await fetch(url('/metrics', withModel))).text();
      expect(sample(text, 'briefing_model_calls_total{kind="brief",outcome="ok"}')).toBe(1);
      expect(sample(text, 'briefing_model_calls_total{kind="ask",outcome="rejected"}')).toBe(1);
      expect(sample(text, 'briefing_model_fallbacks_total{kind="brief",reason="unverified"}')).toBe(1);
      expect(sample(text, 'briefing_model_fallbacks_total{kind="ask",reason="model_failed"}')).toBe(1);
    } finally {
      await withModel.stop();
      await modelFake.close();
      await openai.close();
    }
  });
});
