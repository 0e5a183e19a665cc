/**
 * `HTTP_PORT`: `/healthz` for a load balancer, systemd or Kubernetes probe, and `/metrics` for
 * Prometheus. Bound to `HTTP_HOST` (default 127.0.0.1): nothing here is for the public internet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { PROMETHEUS_CONTENT_TYPE, type Registry } from './metrics.ts';

/** One shard as /healthz reports it. */
export interface ShardHealth {
  id: number;
  ready: boolean;
  /** discord.js's status name (Ready, Resuming, Reconnecting, …). */
  status: string;
  /** Last heartbeat round trip in ms; -1 before the first. */
  pingMs: number;
  /** When the shard stopped being ready (ms since the epoch); undefined while ready. */
  downSince: number | undefined;
}

export interface HealthSources {
  /** This process's shards; undefined before the client exists. */
  shards(): ShardHealth[] | undefined;
  /** The loaded corpus, or undefined when no index is loaded. */
  corpus(): { version: string; articles: number } | undefined;
  /** Resolves when the state store answers; rejects (or times out) otherwise. */
  pingState(): Promise<void>;
}

/** A shard down for less than this still counts as healthy: a quick resume should not flap a probe. */
export const SHARD_GRACE_MS = 2000;
const STATE_TIMEOUT_MS = 1000;

export interface Health {
  ok: boolean;
  /** Why it is not ok, one line each. */
  reasons: string[];
  shards: ShardHealth[];
  corpus: { version: string; articles: number } | undefined;
  state: 'ok' | 'unreachable';
}

export async function checkHealth(sources: HealthSources, now = Date.now()): Promise<Health> {
  const reasons: string[] = [];
  const shards = sources.shards();
  if (shards === undefined) reasons.push('not connected to Discord yet');
  for (const shard of shards ?? []) {
    if (shard.ready) continue;
    const downFor = shard.downSince === undefined ? 0 : now - shard.downSince;
    if (shard.downSince === undefined || downFor > SHARD_GRACE_MS)
      reasons.push(`shard ${shard.id} is ${shard.status} (not ready for ${Math.round(downFor / 1000)} s)`);
  }
  let corpus: Health['corpus'];
  try {
    corpus = sources.corpus();
  } catch {
    corpus = undefined;
  }
  if (corpus === undefined) reasons.push('no index loaded');
  let state: Health['state'] = 'ok';
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sources.pingState(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), STATE_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    state = 'unreachable';
    reasons.push(`the state store does not answer (${(err as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
  return { ok: reasons.length === 0, reasons, shards: shards ?? [], corpus, state };
}

export interface HttpServer {
  /** The port bound (useful with HTTP_PORT=0). */
  port: number;
  close(): Promise<void>;
}

export async function startHttp(options: {
  host: string;
  port: number;
  health: HealthSources;
  metrics: Registry;
  logger: Logger;
}): Promise<HttpServer> {
  const { logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      checkHealth(options.health).then(
        (health) => {
          res.writeHead(health.ok ? 200 : 503, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
          });
          res.end(JSON.stringify(health));
        },
        (err) => {
          logger.error({ err }, 'healthz failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
      res.end(options.metrics.render());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: options.host, port }, 'serving /healthz and /metrics');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
