/** `/status`: corpus, last reload, memory, cache, summariser, state store, uptime, daily post — one notice. */
import type { CacheStats } from '../cache/keyv.ts';
import type { CorpusStats } from '../engine/engine.ts';
import type { ReloadReport } from '../engine/library.ts';
import { shortVersion } from '../render/format.ts';
import type { ProcessRecord } from '../state/cluster.ts';
import { discordTime, type MessagePayload, renderNotice } from './render.ts';

/** What `/status` reports, gathered by the command. */
export interface StatusFacts {
  stats: CorpusStats;
  lastReload: ReloadReport | undefined;
  memory: Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'arrayBuffers'>;
  cache: CacheStats;
  summariser: string;
  stateBackend: string;
  /** How long the bot has run, in ms. */
  uptimeMs: number;
  guilds: number;
  /** The daily post in this server, if it is on; `unreadable` when the state store did not answer. */
  daily: { channelId: string; next: Date } | 'unreadable' | undefined;
  /** Every process sharing the state store (empty without Redis), and which one answers. */
  processes: readonly ProcessRecord[];
  self: string;
}

/** `[0,1,2,5]` → `0-2,5`. */
const shardRanges = (ids: readonly number[]) => {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
};

const duration = (ms: number) => {
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
};
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

export function renderStatus(f: StatusFacts): MessagePayload {
  const { stats, lastReload: last, memory, cache: hit } = f;
  return renderNotice('Status', [
    `**Corpus** ${stats.articles} articles (${stats.passages} passages), ${stats.oldest} to ${stats.newest}, version ${shortVersion(stats.corpusVersion)}`,
    last === undefined
      ? '**Last reload** none'
      : `**Last reload** ${last.at.slice(0, 16).replace('T', ' ')} UTC by ${last.by}: ${last.ok ? `${last.articles} articles, ${last.added} added, ${last.changed} changed, ${last.removed} removed, ${last.rejected.length} rejected` : `refused (${last.error})`}`,
    `**Memory** ${mb(memory.rss)} resident, ${mb(memory.heapUsed)} heap, ${mb(memory.arrayBuffers)} index arrays`,
    `**Cache** ${hit.backend}: ${Math.round(hit.hitRate * 100)}% hits (${hit.hits} hits, ${hit.misses} misses, ${hit.errors} errors), hit p50 ${hit.hitLatencyMs.p50.toFixed(1)} ms`,
    `**Summariser** ${f.summariser}`,
    `**State store** ${f.stateBackend}${f.daily === 'unreadable' ? ' (not answering)' : ''}`,
    `**Uptime** ${duration(f.uptimeMs)} · **Servers** ${f.guilds}`,
    ...f.processes.map(
      (p) =>
        `**Process** ${p.host}:${p.pid}${p.id === f.self ? ' (this one)' : ''} · shards ${shardRanges(p.shards)} of ${p.shardCount}${p.ready ? '' : ' (not all connected)'} · corpus ${shortVersion(p.corpusVersion)}${p.corpusVersion === stats.corpusVersion ? '' : ' (differs)'}, ${p.articles} articles`,
    ),
    f.daily === 'unreadable'
      ? '**Daily brief** unknown: the state store did not answer'
      : f.daily === undefined
        ? '**Daily brief** off here (`/daily set` to start)'
        : `**Daily brief** next ${discordTime(f.daily.next)} in <#${f.daily.channelId}>`,
  ]);
}
