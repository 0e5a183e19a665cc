/**
 * A loopback HTTP server for the feed tests: each path answers as a real feed host would (ETags and
 * 304s, gzip, redirects, Retry-After, errors), and every request is recorded with its headers.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const FIXTURES = fileURLToPath(new URL('../fixtures/feeds/', import.meta.url));

export function feedFixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(p: string): string;
  route(p: string, handler: Handler): void;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const requests: FeedServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    requests.push({ path: p, headers: req.headers });
    const handler = routes.get(p);
    if (handler === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (p) => `${origin}${p}`,
    route: (p, handler) => void routes.set(p, handler),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `body` with an ETag; answers 304 to a matching If-None-Match; gzip when asked for. */
export function serve(
  body: () => Buffer | string,
  options: { type?: string; etag?: string; gzip?: boolean; headers?: Record<string, string> } = {},
): Handler {
  return (req, res) => {
    const etag = options.etag;
    if (etag !== undefined && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    let data = Buffer.from(body());
    const headers: Record<string, string> = {
      'content-type': options.type ?? 'application/rss+xml; charset=utf-8',
      ...(etag !== undefined ? { etag } : {}),
      ...options.headers,
    };
    if (options.gzip === true && /gzip/.test(String(req.headers['accept-encoding']))) {
      data = zlib.gzipSync(data);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(data);
  };
}
