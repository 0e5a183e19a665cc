import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { CacheStats } from '../cache/keyv.ts';
import type { DailyStore } from '../daily/schedule.ts';
import type { DailyScheduler } from '../daily/scheduler.ts';
import type { Engine } from '../engine/engine.ts';
import type { Library } from '../engine/library.ts';
import type { FeedPoller } from '../feeds/poller.ts';
import type { FeedService } from '../feeds/service.ts';
import type { ProcessRecord } from '../state/cluster.ts';
import type { BriefHistory } from '../state/history.ts';
import type { AdminList } from './admin.ts';
import type { ShareStore } from './share.ts';

/** What the admin and daily commands run on; the composition root (src/app.ts) makes them. */
export interface BotServices {
  library: Library;
  daily: DailyStore;
  scheduler: DailyScheduler;
  history: BriefHistory;
  admins: AdminList;
  /** The feeds the corpus follows (/feeds), and the poller that ingests them. */
  feeds: FeedService;
  feedPoller: FeedPoller;
  /** Why the bot cannot post in a channel of a guild, or undefined when it can. */
  checkChannel(guildId: string, channelId: string): Promise<string | undefined>;
  /** This process and the others sharing its Redis (each one's shards and corpus version). */
  cluster: { self: string; processes(): Promise<ProcessRecord[]> };
  /** Facts for /status that only the running bot knows. */
  runtime(): { cache: CacheStats; summariser: string; startedAt: Date; guilds: number; stateBackend: string };
}

/** What a command may use: passed in by the composition root, never reached for. */
export interface CommandContext {
  /** The engine now in service (a reload swaps it; take it once per interaction). */
  engine(): Engine;
  /** This interaction's logger. */
  logger: Logger;
  /** Recent answers that a Share button can post. */
  shares: ShareStore;
  /** Whether answers are public when the user does not say. */
  publicByDefault: boolean;
  services: BotServices;
}

/** One slash command: its registration data, its handler and, optionally, its autocomplete. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Skip the per-user cooldown (cheap commands such as /help). Default false. */
  noCooldown?: boolean;
  /** Admins only (see src/discord/admin.ts): checked on every use, whatever the client shows. */
  admin?: boolean;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

/** A button's handler, chosen by the prefix of its custom id (`share:…`). */
export interface ButtonHandler {
  prefix: string;
  execute(interaction: ButtonInteraction, ctx: CommandContext): Promise<void>;
}
