/**
 * Abstractive answers through any OpenAI-compatible chat-completions endpoint. Passages go into the
 * prompt as numbered, dated, delimited data; the answer is parsed tolerantly and every bullet is
 * verified against its cited passages. Any failure is a value (`ok: false` with a reason), never a throw,
 * so the engine can fall back to the offline summariser.
 */
import OpenAI from 'openai';
import type { Logger } from 'pino';
import { UserError } from '../../../errors.ts';
import { modelAnswerJsonSchema, parseModelAnswer } from './output.ts';
import { fill, loadPrompts, PromptError, type PromptTemplate } from './prompts.ts';
import { type Verdict, verifyBullets } from './verify.ts';

export interface LlmPassage {
  title: string;
  date: string;
  publisher: string | null;
  /** What the source says: the only text a bullet may rest on (a reporter's question is left out). */
  text: string;
  /** Who says it, in a transcript ("John Kirby, NSC Coordinator …"). */
  speaker?: string;
  /** The reporter's question the text answers: context, never a fact. */
  question?: string;
  /** In a briefing: the topic's newest coverage, or earlier background. */
  part?: 'latest' | 'background';
}

export interface WriterSettings {
  model: string;
  /** Deadline for one answer, retries included, in ms; default 20 000. */
  timeoutMs: number;
  /** Model calls in flight at most; default 4. */
  maxConcurrency: number;
  /** The model's context window in tokens; passages that do not fit whole are left out. Default 8192. */
  contextTokens: number;
  /** Show unsupported bullets marked as such instead of dropping them. Default false. */
  keepUnsupported: boolean;
  /**
   * The request field that caps the answer's length. Default `max_completion_tokens`, the current
   * OpenAI API's (which rejects `max_tokens` for its reasoning models); `max_tokens` for servers that
   * know only the older name.
   */
  tokenLimitField?: TokenLimitField;
}

export type TokenLimitField = 'max_completion_tokens' | 'max_tokens';

/**
 * Why no answer came: no call made (`no_prompt`, `no_room`), or the call's end — `timeout`, `rejected`
 * (a 400: the request itself), `server_error` (another status), `unreachable`, `unreadable` (an answer
 * that is not the JSON asked for).
 */
export type WriteFailure =
  | 'no_prompt'
  | 'no_room'
  | 'timeout'
  | 'rejected'
  | 'server_error'
  | 'unreachable'
  | 'unreadable';

export type WriteOutcome =
  | { ok: true; verdict: Verdict; passagesGiven: number; route: string }
  | { ok: false; reason: string; failure: WriteFailure };

/** Rough token count (4 characters a token): enough to keep a prompt inside the window with margin. */
const tokens = (s: string) => Math.ceil(s.length / 4);

/** Delimiters cannot be forged from inside a source: its angle brackets are escaped. */
const escapeData = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeData(s).replace(/"/g, '&quot;');

export function sourcesBlock(passages: readonly LlmPassage[]): string {
  const attr = (name: string, value: string | null | undefined) =>
    value ? ` ${name}="${escapeAttr(value)}"` : '';
  const body = passages
    .map((p, i) => {
      const attrs = `n="${i + 1}" date="${p.date}"${attr('title', p.title)}${attr('publisher', p.publisher)}${attr('speaker', p.speaker)}${attr('part', p.part)}`;
      const question = p.question ? `<question>${escapeData(p.question)}</question>\n` : '';
      return `<source ${attrs}>\n${question}${escapeData(p.text)}\n</source>`;
    })
    .join('\n');
  return `<sources>\n${body}\n</sources>`;
}

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export class LlmWriter {
  private readonly gate: Semaphore;
  /** The messages of the 400s already logged. */
  private readonly rejections = new Set<string>();

  constructor(
    private readonly client: OpenAI,
    private readonly prompts: ReadonlyMap<string, PromptTemplate>,
    readonly settings: WriterSettings,
    private readonly logger?: Logger,
  ) {
    this.gate = new Semaphore(settings.maxConcurrency);
  }

  /** `llm:<model>`: what the engine reports in `generatedBy`. */
  get label(): string {
    return `llm:${this.settings.model}`;
  }

  /** The prompt's id and version, for cache keys. */
  promptRef(kind: string): string {
    return this.prompts.get(kind)?.ref ?? `${kind}@missing`;
  }

  /** The chat messages for a request, with as many whole passages as fit the context window. */
  buildMessages(kind: string, query: string, passages: readonly LlmPassage[]) {
    const prompt = this.prompts.get(kind);
    if (prompt === undefined) return undefined;
    const values = { query, max_bullets: String(prompt.max_bullets) };
    const system = fill(prompt.system, values);
    const frame = fill(prompt.user, { ...values, sources: '' });
    let budget = this.settings.contextTokens - prompt.max_tokens - tokens(system) - tokens(frame) - 64;
    const given: LlmPassage[] = [];
    for (const p of passages) {
      const cost = tokens(sourcesBlock([p]));
      if (cost > budget) break;
      budget -= cost;
      given.push(p);
    }
    const user = fill(prompt.user, { ...values, sources: sourcesBlock(given) });
    return {
      prompt,
      given,
      messages: [
        { role: 'system' as const, content: system },
        { role: 'user' as const, content: user },
      ],
    };
  }

  async write(kind: 'brief' | 'ask', query: string, passages: readonly LlmPassage[]): Promise<WriteOutcome> {
    const built = this.buildMessages(kind, query, passages);
    if (built === undefined) return { ok: false, reason: `no ${kind} prompt`, failure: 'no_prompt' };
    if (built.given.length === 0)
      return { ok: false, reason: 'no passage fits the context window', failure: 'no_room' };
    const { prompt, given, messages } = built;
    const started = performance.now();
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const completion = await this.gate.run(() =>
        this.client.chat.completions.create(
          {
            model: this.settings.model,
            messages,
            temperature: prompt.temperature,
            [this.settings.tokenLimitField ?? 'max_completion_tokens']: prompt.max_tokens,
            response_format: {
              type: 'json_schema',
              json_schema: {
                name: 'briefing',
                strict: true,
                schema: modelAnswerJsonSchema as Record<string, unknown>,
              },
            },
          },
          { signal, timeout: this.settings.timeoutMs },
        ),
      );
      const latencyMs = Math.round(performance.now() - started);
      this.logger?.info(
        {
          model: completion.model ?? this.settings.model,
          promptTokens: completion.usage?.prompt_tokens,
          completionTokens: completion.usage?.completion_tokens,
          latencyMs,
          prompt: prompt.ref,
        },
        'llm call',
      );
      const content = completion.choices[0]?.message?.content ?? '';
      const parsed = parseModelAnswer(content);
      if (parsed === undefined)
        return { ok: false, reason: 'the model answer could not be read', failure: 'unreadable' };
      const verdict = verifyBullets(
        parsed.answer.bullets,
        given.map((p) => p.text),
        { keepUnsupported: this.settings.keepUnsupported },
      );
      this.logger?.info(
        {
          kept: verdict.kept.length,
          dropped: verdict.dropped.length,
          stripped: verdict.stripped,
          repointed: verdict.repointed,
        },
        'llm answer verified',
      );
      for (const d of verdict.dropped)
        this.logger?.info({ bullet: d.text.slice(0, 200), reason: d.reason }, 'llm bullet dropped');
      return { ok: true, verdict, passagesGiven: given.length, route: parsed.route };
    } catch (err) {
      const failure: WriteFailure = signal.aborted
        ? 'timeout'
        : err instanceof OpenAI.APIError
          ? err.status === 400
            ? 'rejected'
            : 'server_error'
          : 'unreachable';
      const reason =
        failure === 'timeout'
          ? `no answer within ${this.settings.timeoutMs} ms`
          : err instanceof OpenAI.APIError
            ? `the model server answered ${err.status ?? 'with an error'}`
            : `the model server could not be reached`;
      const latencyMs = Math.round(performance.now() - started);
      if (err instanceof OpenAI.APIError && err.status === 400) {
        // A 400 is the request, not the moment: every later call fails the same way. Said once, loudly,
        // with the server's own words (an unsupported parameter, an unknown model), then only at debug.
        const said = err.message;
        if (this.rejections.has(said)) this.logger?.debug({ latencyMs }, `llm call failed: ${reason}`);
        else {
          this.rejections.add(said);
          this.logger?.error(
            { err, latencyMs, model: this.settings.model },
            `the model server rejects the request (400): ${said}. Every answer falls back to the offline summary until this is fixed` +
              (/max_(completion_)?tokens/.test(said)
                ? ' (OPENAI_TOKEN_LIMIT_FIELD chooses max_completion_tokens or max_tokens)'
                : ''),
          );
        }
        return { ok: false, reason, failure };
      }
      this.logger?.warn({ err, latencyMs }, `llm call failed: ${reason}`);
      return { ok: false, reason, failure };
    }
  }
}

/** Makes the writer for an endpoint; `baseURL` selects any OpenAI-compatible server. */
export function createWriter(
  options: { apiKey: string; baseURL?: string | undefined; maxRetries?: number } & WriterSettings,
  prompts: ReadonlyMap<string, PromptTemplate>,
  logger?: Logger,
): LlmWriter {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    // The SDK retries 408/409/429/5xx with backoff and honours Retry-After.
    maxRetries: options.maxRetries ?? 2,
  });
  return new LlmWriter(client, prompts, options, logger);
}

/** The writer the LLM settings ask for, or undefined when no API key is set (offline summaries). */
export async function writerFromConfig(
  config: {
    OPENAI_API_KEY?: string | undefined;
    OPENAI_BASE_URL?: string | undefined;
    OPENAI_MODEL: string;
    OPENAI_TIMEOUT: number;
    OPENAI_MAX_CONCURRENCY: number;
    OPENAI_CONTEXT_TOKENS: number;
    OPENAI_TOKEN_LIMIT_FIELD?: TokenLimitField | undefined;
    LLM_KEEP_UNSUPPORTED: boolean;
    PROMPTS_DIR: string;
  },
  logger?: Logger,
): Promise<LlmWriter | undefined> {
  if (config.OPENAI_API_KEY === undefined) return undefined;
  let prompts: Map<string, PromptTemplate>;
  try {
    prompts = await loadPrompts(config.PROMPTS_DIR, ['brief', 'ask']);
  } catch (err) {
    if (err instanceof PromptError) throw new UserError('bad_config', err.message);
    throw err;
  }
  return createWriter(
    {
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT,
      maxConcurrency: config.OPENAI_MAX_CONCURRENCY,
      contextTokens: config.OPENAI_CONTEXT_TOKENS,
      keepUnsupported: config.LLM_KEEP_UNSUPPORTED,
      ...(config.OPENAI_TOKEN_LIMIT_FIELD ? { tokenLimitField: config.OPENAI_TOKEN_LIMIT_FIELD } : {}),
    },
    prompts,
    logger,
  );
}
