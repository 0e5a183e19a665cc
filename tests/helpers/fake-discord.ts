/**
 * A loopback Discord for the tests: the REST routes and the gateway the real discord.js client uses,
 * on 127.0.0.1. It records every request, answers like Discord does, and can inject interactions
 * (slash commands, autocomplete, buttons) the way Discord delivers them.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface RecordedRequest {
  method: string;
  /** Path below /api/v10, decoded (`@original`, not `%40original`). */
  path: string;
  query: string;
  body: unknown;
  authorization: string | undefined;
  at: number;
}

/** What the bot sent in answer to one injected interaction. */
export interface InteractionLog {
  id: string;
  token: string;
  sentAt: number;
  /** POST /interactions/{id}/{token}/callback bodies, in order. */
  callbacks: { type: number; data?: Record<string, unknown> }[];
  /** The original response as last edited (PATCH …/messages/@original), or the type-4 reply's data. */
  original: Record<string, unknown> | undefined;
  /** Follow-up messages (POST /webhooks/{app}/{token}). */
  followUps: Record<string, unknown>[];
  /** Set when the original response was deleted. */
  deleted: boolean;
  /** When the first callback (a reply or a deferral) arrived (ms since the epoch). */
  firstCallbackAt?: number;
  /** When the final answer arrived: a reply, or the first edit or follow-up after a deferral. */
  answeredAt?: number;
}

export interface FakeUser {
  id: string;
  username: string;
}

/** A server of the fake, with one text channel. */
export interface FakeGuild {
  id: string;
  channelId: string;
}

export interface FakeDiscordOptions {
  /** Servers besides the default one (`guildId`); `guildsOnShards` makes ids that land on given shards. */
  extraGuilds?: FakeGuild[];
  /** The shard count GET /gateway/bot recommends; default 1. */
  recommendedShards?: number;
  /** session_start_limit.max_concurrency; default 16 so that a test's shards identify without waiting 5 s each. */
  maxConcurrency?: number;
  /**
   * Answer every REST request with `Connection: close`, so that each request opens a new connection and,
   * given a host name (`localhost`) instead of an address, looks it up again as it would Discord's.
   */
  closeConnections?: boolean;
  /** The gateway's heartbeat interval in ms (HELLO); default 41 250, Discord's. A shard's ping is known after the first. */
  heartbeatIntervalMs?: number;
}

/** The shard a guild's events go to, as Discord computes it. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

let guildSeq = 30_000_000_000n;
/**
 * `perShard` guilds for each of `shardCount` shards (ids 17–20 digits, as Discord's), each with its own
 * text channel: guild i of shard s is `result[s * perShard + i]`.
 */
export function guildsOnShards(shardCount: number, perShard: number): FakeGuild[] {
  const guilds: FakeGuild[] = [];
  for (let shard = 0; shard < shardCount; shard++) {
    for (let i = 0; i < perShard; i++) {
      let timestamp = ++guildSeq;
      while (Number(timestamp % BigInt(shardCount)) !== shard) timestamp = ++guildSeq;
      const id = timestamp << 22n;
      guilds.push({ id: String(id), channelId: String(id + 1n) });
    }
  }
  return guilds;
}

/** One gateway connection: the shard it identified as, and its session (for resumes). */
interface GatewaySession {
  shard: [number, number] | undefined;
  sessionId: string | undefined;
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  /** A subcommand's own options (type 1). */
  options?: CommandOption[];
}

const GUILD_ID = '100000000000000001';
const CHANNEL_ID = '100000000000000002';
const APP_ID = '100000000000000003';
const BOT_ID = APP_ID;
const BOT_USER = {
  id: BOT_ID,
  username: 'briefing-bot',
  discriminator: '0',
  bot: true,
  avatar: null,
  global_name: null,
  flags: 0,
};
/** All permissions: the fake's members may do anything unless a test says otherwise. */
/** A role of the guild with no permissions of its own. */
const ROLE_ID = '600000000000000001';
const ALL_PERMISSIONS = '2251799813685247';

let snowflake = 200000000000000000n;
const nextId = () => String(++snowflake);

export class FakeDiscord {
  readonly appId = APP_ID;
  readonly guildId = GUILD_ID;
  readonly channelId = CHANNEL_ID;
  readonly roleId = ROLE_ID;
  readonly requests: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionLog>();
  /** Registered application commands: key `global` or a guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  /** Messages posted with POST /channels/{id}/messages (a repeat of an enforced nonce makes none). */
  readonly channelMessages: { channelId: string; body: Record<string, unknown> }[] = [];
  /**
   * Messages made with `enforce_nonce`, by channel and nonce. Discord remembers them for a few minutes
   * and answers a repeat with the message it made; the fake remembers them for its whole life.
   */
  private readonly nonces = new Map<string, Record<string, unknown>>();
  /** Channel messages still to make before one is made and its answer withheld (see withholdAnswer). */
  private withhold: { after: number; done: () => void } | undefined;
  /** Set when the client identified; resolves on IDENTIFY. */
  identified: Promise<void>;
  /** Every IDENTIFY's `shard` field, in order (`[0, 1]` when the client sent none). */
  readonly identifies: [number, number][] = [];
  /** When each of {@link identifies} arrived (ms since the epoch), in the same order. */
  readonly identifiedAt: number[] = [];
  /** The servers: the default one first. */
  readonly guilds: FakeGuild[];
  /** Status codes to answer the next matching requests with, e.g. `failNext('POST /channels', 500)`. */
  private readonly failures: { prefix: string; status: number }[] = [];
  private sockets = new Map<WebSocket, GatewaySession>();
  /** Shards whose connections are refused an answer to IDENTIFY or RESUME until released. */
  private readonly heldShards = new Map<number, (() => void)[]>();
  /** The shard of each session id handed out, so that a RESUME can be placed. */
  private readonly sessionShards = new Map<string, [number, number]>();
  private sequence = 0;
  private resolveIdentified!: () => void;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly options: FakeDiscordOptions = {},
  ) {
    this.guilds = [{ id: GUILD_ID, channelId: CHANNEL_ID }, ...(options.extraGuilds ?? [])];
    this.identified = new Promise((resolve) => {
      this.resolveIdentified = resolve;
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const fake = new FakeDiscord(http, wss, (http.address() as AddressInfo).port, options);
    http.on('request', (req, res) => {
      fake.handle(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(err), code: 0 }));
      });
    });
    http.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => fake.gateway(ws));
    });
    return fake;
  }

  /** The REST base to give discord.js (`rest: { api }`) and the bot's DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get openSockets(): number {
    return [...this.sockets.keys()].filter((s) => s.readyState === s.OPEN).length;
  }

  /** The shard ids with an open, identified connection now. */
  get connectedShards(): number[] {
    return [...this.sockets]
      .filter(([ws, session]) => ws.readyState === ws.OPEN && session.shard !== undefined)
      .map(([, session]) => session.shard![0])
      .sort((a, b) => a - b);
  }

  /**
   * Drops shard `id`'s connection (close code 4000, which discord.js resumes after) and leaves its
   * reconnection unanswered until {@link releaseShard}: the shard is down meanwhile.
   */
  holdShard(id: number): void {
    this.heldShards.set(id, this.heldShards.get(id) ?? []);
    for (const [ws, session] of this.sockets)
      if (session.shard?.[0] === id) ws.close(4000, 'held by the test');
  }

  /** Answers the held shard's waiting IDENTIFY or RESUME, and every later one. */
  releaseShard(id: number): void {
    const waiting = this.heldShards.get(id) ?? [];
    this.heldShards.delete(id);
    for (const answer of waiting) answer();
  }

  /**
   * Makes the channel message after the next `skip` ones, and never answers its POST: the sender dies
   * (or loses its connection) after Discord acted and before it learned the message's id. Resolves once
   * that message is made.
   */
  withholdAnswer(skip = 0): Promise<void> {
    return new Promise((done) => {
      this.withhold = { after: skip, done };
    });
  }

  failNext(prefix: string, status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ prefix, status });
  }

  /** Closes every gateway connection with `code`, as Discord does on a bad token (4004) or disallowed intents (4014). */
  closeGateway(code: number): void {
    for (const ws of this.sockets.keys()) ws.close(code);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Resolves when `predicate` holds (checked after every request, and every 20 ms); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (predicate()) finish();
      };
      const timer = setTimeout(
        () => finish(new Error(`fake Discord: timed out waiting for ${what}`)),
        timeoutMs,
      );
      const poll = setInterval(check, 20);
      this.waiters.add(check);
    });
  }

  /** Injects a slash command and returns its log, which fills in as the bot answers. */
  chatInput(
    name: string,
    options: CommandOption[] = [],
    who: { user?: FakeUser; permissions?: bigint; dm?: boolean; roles?: string[]; guildId?: string } = {},
  ): InteractionLog {
    return this.inject(2, { id: nextId(), name, type: 1, ...(options.length ? { options } : {}) }, who);
  }

  autocomplete(name: string, options: CommandOption[], who: { user?: FakeUser } = {}): InteractionLog {
    return this.inject(4, { id: nextId(), name, type: 1, options }, who);
  }

  /** Clicks a button with `customId` on a message the bot sent. */
  button(customId: string, message: Record<string, unknown>, who: { user?: FakeUser } = {}): InteractionLog {
    return this.inject(3, { custom_id: customId, component_type: 2 }, who, message);
  }

  /** Waits until an interaction has its final answer: a reply, or a deferral followed by an edit. */
  async answered(log: InteractionLog, timeoutMs = 10_000): Promise<InteractionLog> {
    await this.waitFor(
      () =>
        log.callbacks.some((c) => c.type === 4 || c.type === 7 || c.type === 8) ||
        (log.callbacks.some((c) => c.type === 5 || c.type === 6) &&
          (log.original !== undefined || log.followUps.length > 0)),
      timeoutMs,
      `an answer to interaction ${log.id}`,
    );
    return log;
  }

  private inject(
    type: number,
    data: Record<string, unknown>,
    who: { user?: FakeUser; permissions?: bigint; dm?: boolean; roles?: string[]; guildId?: string },
    message?: Record<string, unknown>,
  ): InteractionLog {
    const id = nextId();
    const guild = this.guild(who.guildId ?? GUILD_ID);
    const token = `tok_${randomBytes(12).toString('hex')}`;
    const user = { ...userObject(who.user ?? { id: '300000000000000001', username: 'analyst' }) };
    const permissions = String(who.permissions ?? BigInt(ALL_PERMISSIONS));
    const place = who.dm
      ? {
          user,
          channel_id: CHANNEL_ID,
          channel: { id: CHANNEL_ID, type: 1, recipients: [user] },
          context: 1,
          authorizing_integration_owners: { '1': user.id },
        }
      : {
          guild_id: guild.id,
          channel_id: guild.channelId,
          channel: textChannel(guild),
          member: {
            user,
            roles: who.roles ?? [],
            permissions,
            joined_at: '2024-01-01T00:00:00.000Z',
            deaf: false,
            mute: false,
            flags: 0,
            nick: null,
            avatar: null,
            premium_since: null,
            pending: false,
          },
          context: 0,
          authorizing_integration_owners: { '0': guild.id },
          guild_locale: 'en-US',
        };
    const payload = {
      id,
      application_id: APP_ID,
      type,
      data,
      token,
      version: 1,
      locale: 'en-US',
      app_permissions: ALL_PERMISSIONS,
      entitlements: [],
      attachment_size_limit: 10485760,
      ...place,
      ...(message ? { message } : {}),
    };
    const log: InteractionLog = {
      id,
      token,
      sentAt: Date.now(),
      callbacks: [],
      original: undefined,
      followUps: [],
      deleted: false,
    };
    this.interactions.set(token, log);
    this.dispatch('INTERACTION_CREATE', payload, who.dm ? undefined : guild.id);
    return log;
  }

  private guild(id: string): FakeGuild {
    const guild = this.guilds.find((g) => g.id === id);
    if (guild === undefined) throw new Error(`fake Discord has no guild ${id}`);
    return guild;
  }

  /** Sends an event on the connection of the shard that owns `guildId` (shard 0 for direct messages), as Discord does. */
  private dispatch(event: string, d: unknown, guildId?: string): void {
    const frame = JSON.stringify({ op: 0, t: event, s: ++this.sequence, d });
    for (const [ws, session] of this.sockets) {
      if (ws.readyState !== ws.OPEN || session.shard === undefined) continue;
      const [shard, count] = session.shard;
      if ((guildId === undefined ? 0 : shardOfGuild(guildId, count)) === shard) ws.send(frame);
    }
  }

  /** Runs `answer` now, or once the test releases `shard` if it is held. */
  private whenReleased(shard: number, answer: () => void): void {
    const waiting = this.heldShards.get(shard);
    if (waiting === undefined) answer();
    else waiting.push(answer);
  }

  private gateway(ws: WebSocket): void {
    const session: GatewaySession = { shard: undefined, sessionId: undefined };
    this.sockets.set(ws, session);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(
      JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 41_250 } }),
    );
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) {
        const shard = ((frame.d as { shard?: [number, number] }).shard ?? [0, 1]) as [number, number];
        this.identifies.push(shard);
        this.identifiedAt.push(Date.now());
        const [id, count] = shard;
        if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || id >= count) {
          ws.close(4010, 'Invalid shard');
          return;
        }
        const owned = this.guilds.filter((g) => shardOfGuild(g.id, count) === id);
        this.whenReleased(id, () => {
          if (ws.readyState !== ws.OPEN) return;
          const sessionId = randomBytes(8).toString('hex');
          session.shard = shard;
          session.sessionId = sessionId;
          this.sessionShards.set(sessionId, shard);
          ws.send(
            JSON.stringify({
              op: 0,
              t: 'READY',
              s: ++this.sequence,
              d: {
                v: 10,
                user: BOT_USER,
                guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
                session_id: sessionId,
                resume_gateway_url: `ws://127.0.0.1:${this.port}`,
                shard,
                application: { id: APP_ID, flags: 0 },
                private_channels: [],
                presences: [],
                relationships: [],
                guild_join_requests: [],
              },
            }),
          );
          for (const g of owned)
            ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.sequence, d: guildObject(g) }));
          this.resolveIdentified();
        });
      } else if (frame.op === 6) {
        const sessionId = (frame.d as { session_id?: string }).session_id ?? '';
        const shard = this.sessionShards.get(sessionId);
        if (shard === undefined) {
          // An unknown session cannot be resumed: Discord says so (op 9), and the client identifies anew.
          ws.send(JSON.stringify({ op: 9, d: false }));
          return;
        }
        this.whenReleased(shard[0], () => {
          if (ws.readyState !== ws.OPEN) return;
          session.shard = shard;
          session.sessionId = sessionId;
          ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.sequence, d: {} }));
        });
      }
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    if ((req.headers['content-type'] ?? '').includes('application/json') && text !== '')
      body = JSON.parse(text);
    else if ((req.headers['content-type'] ?? '').includes('multipart/form-data')) body = multipartJson(text);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const method = req.method ?? 'GET';
    if (this.options.closeConnections) res.setHeader('connection', 'close');
    this.requests.push({
      method,
      path,
      query: url.search,
      body,
      authorization: req.headers.authorization,
      at: Date.now(),
    });
    try {
      const failure = this.failures.findIndex((f) => `${method} ${path}`.startsWith(f.prefix));
      if (failure >= 0) {
        const { status } = this.failures.splice(failure, 1)[0]!;
        return send(
          res,
          status,
          { message: 'fake failure', code: 0 },
          status === 429 ? { 'retry-after': '0' } : {},
        );
      }
      this.route(method, path, body as Record<string, unknown>, res);
    } finally {
      for (const waiter of [...this.waiters]) waiter();
    }
  }

  private route(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return void send(res, 200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.options.recommendedShards ?? 1,
        session_start_limit: {
          total: 1000,
          remaining: 1000,
          reset_after: 0,
          max_concurrency: this.options.maxConcurrency ?? 16,
        },
      });
    }
    m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (m) {
      const scope = m[2] ?? 'global';
      if (method === 'GET') return void send(res, 200, this.commands.get(scope) ?? []);
      if (method === 'PUT') {
        const list = (body as unknown as Record<string, unknown>[]).map((c) => ({
          id: nextId(),
          application_id: APP_ID,
          version: nextId(),
          type: 1,
          ...(m![2] ? { guild_id: m![2] } : {}),
          ...c,
        }));
        this.commands.set(scope, list);
        return void send(res, 200, list);
      }
    }
    m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/);
    if (m && method === 'POST') {
      const log = this.interactions.get(m[2]!);
      if (log === undefined) return void send(res, 404, { message: 'Unknown interaction', code: 10062 });
      if (log.callbacks.length > 0) {
        return void send(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      }
      const callback = body as { type: number; data?: Record<string, unknown> };
      log.callbacks.push(callback);
      log.firstCallbackAt = Date.now();
      if (callback.type === 4 || callback.type === 7 || callback.type === 8) log.answeredAt = Date.now();
      if (callback.type === 4 || callback.type === 7) log.original = callback.data ?? {};
      res.writeHead(204);
      return void res.end();
    }
    m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(.+))?$/);
    if (m) {
      const log = this.interactions.get(m[2]!);
      if (log === undefined) return void send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      if (method === 'PATCH' && m[3] === '@original') {
        log.answeredAt ??= Date.now();
        log.original = { ...(log.original ?? {}), ...body };
        return void send(res, 200, messageObject(log.original, '@original'));
      }
      if (method === 'DELETE' && m[3] === '@original') {
        log.deleted = true;
        res.writeHead(204);
        return void res.end();
      }
      if (method === 'POST' && m[3] === undefined) {
        log.answeredAt ??= Date.now();
        log.followUps.push(body);
        return void send(res, 200, messageObject(body));
      }
      if (method === 'GET' && m[3] === '@original')
        return void send(res, 200, messageObject(log.original ?? {}));
    }
    m = path.match(/^\/channels\/(\d+)\/messages$/);
    if (m && method === 'POST') {
      const key = `${m[1]}:${String(body.nonce)}`;
      const known = body.enforce_nonce === true ? this.nonces.get(key) : undefined;
      if (known !== undefined) return void send(res, 200, known);
      const message = messageObject(body, undefined, m[1]);
      if (body.enforce_nonce === true && body.nonce !== undefined) this.nonces.set(key, message);
      this.channelMessages.push({ channelId: m[1]!, body });
      if (this.withhold !== undefined && this.withhold.after-- === 0) {
        const { done } = this.withhold;
        this.withhold = undefined;
        done();
        // No answer: the connection stays open until the sender goes away.
        return;
      }
      return void send(res, 200, message);
    }
    m = path.match(/^\/channels\/(\d+)$/);
    if (m && method === 'GET') {
      const guild = this.guilds.find((g) => g.channelId === m![1]);
      return void send(
        res,
        guild === undefined ? 404 : 200,
        guild === undefined ? { message: 'Unknown Channel', code: 10003 } : textChannel(guild),
      );
    }
    send(res, 404, { message: `fake Discord has no route for ${method} ${path}`, code: 0 });
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** discord.js sends multipart only with files; the JSON part is all the tests need. */
function multipartJson(text: string): unknown {
  const m = text.match(/name="payload_json"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/);
  return m ? JSON.parse(m[1]!) : text;
}

function userObject(user: FakeUser) {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: false,
    flags: 0,
  };
}

function textChannel(guild: FakeGuild) {
  return {
    id: guild.channelId,
    type: 0,
    guild_id: guild.id,
    name: 'briefings',
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

function guildObject(guild: FakeGuild) {
  return {
    id: guild.id,
    name: 'Analysts',
    icon: null,
    owner_id: '300000000000000099',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      {
        id: ROLE_ID,
        name: 'Analyst lead',
        permissions: '0',
        position: 1,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      {
        id: guild.id,
        name: '@everyone',
        permissions: '1071698660929',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: '2024-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: 2,
    members: [],
    channels: [textChannel(guild)],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}

function messageObject(body: Record<string, unknown>, id?: string, channelId = CHANNEL_ID) {
  return {
    id: id === undefined || id === '@original' ? nextId() : id,
    channel_id: channelId,
    type: 0,
    content: '',
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: 0,
    author: BOT_USER,
    ...body,
  };
}

export function embedsOf(message: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return (message?.embeds as Record<string, unknown>[] | undefined) ?? [];
}

/** The text of a message: its content, and each embed's title, description and field values. */
export function textOf(message: Record<string, unknown> | undefined): string {
  return [
    ...(typeof message?.content === 'string' ? [message.content] : []),
    ...embedsOf(message).map((e) =>
      [
        e.title,
        e.description,
        ...((e.fields as { value: string }[] | undefined) ?? []).map((f) => f.value),
      ].join('\n'),
    ),
  ].join('\n');
}
