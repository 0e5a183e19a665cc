/**
 * A loopback OpenAI-compatible server for the tests: `POST /v1/chat/completions`, scripted per test.
 * Each scripted step answers one request: a model reply (content), an HTTP error (with Retry-After),
 * or a delay longer than the client's timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { content: string }
  | { status: number; retryAfter?: number; message?: string }
  | { delayMs: number; content: string }
  /** Answers once `until` settles (a test holds a call in flight with it). */
  | { until: Promise<unknown>; content: string }
  | ((request: ChatRequest) => { content: string });

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { schema: unknown } };
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
}

export class FakeOpenAI {
  readonly requests: { body: ChatRequest; authorization: string | undefined }[] = [];
  private script: Step[] = [];
  /** Requests being answered now, and the most at once since start. */
  active = 0;
  maxActive = 0;
  /** Used when the script is empty. */
  fallback: Step | undefined;
  /**
   * A request field this server refuses with a 400, in the words of the real one: OpenAI's reasoning
   * models refuse `max_tokens`; an older compatible server does not know `max_completion_tokens`.
   */
  refuses: 'max_tokens' | 'max_completion_tokens' | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeOpenAI> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeOpenAI(server, (server.address() as AddressInfo).port);
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      fake.active++;
      fake.maxActive = Math.max(fake.maxActive, fake.active);
      res.once('close', () => {
        fake.active--;
      });
      fake.requests.push({ body, authorization: req.headers.authorization });
      if (fake.refuses !== undefined && fake.refuses in body) {
        const message =
          fake.refuses === 'max_tokens'
            ? "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
            : 'Unrecognized request argument supplied: max_completion_tokens';
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({
            error: { message, type: 'invalid_request_error', param: fake.refuses, code: null },
          }),
        );
      }
      const step = fake.script.shift() ?? fake.fallback;
      if (step === undefined) {
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: 'fake OpenAI: nothing scripted' } }));
      }
      const answer = typeof step === 'function' ? step(body) : step;
      if ('status' in answer) {
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.retryAfter !== undefined ? { 'retry-after': String(answer.retryAfter) } : {}),
        });
        return void res.end(
          JSON.stringify({ error: { message: answer.message ?? 'scripted failure', type: 'server_error' } }),
        );
      }
      if ('until' in answer) await answer.until;
      if ('delayMs' in answer) {
        const { delayMs } = answer as { delayMs: number };
        await new Promise((r) => setTimeout(r, delayMs));
      }
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${fake.requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            { index: 0, message: { role: 'assistant', content: answer.content }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 321, completion_tokens: 54, total_tokens: 375 },
        }),
      );
    });
    return fake;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Queues answers for the next requests, in order. */
  answerWith(...steps: Step[]): this {
    this.script.push(...steps);
    return this;
  }

  reset(): void {
    this.script = [];
    this.requests.length = 0;
    this.fallback = undefined;
    this.refuses = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The sources block of a request, split into passages by number. */
export function passagesOf(request: ChatRequest): Map<number, string> {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const out = new Map<number, string>();
  for (const m of user.matchAll(/<source n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g))
    out.set(Number(m[1]), m[2]!);
  return out;
}
