import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import type { ShareStore } from './share.ts';

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
}

/** One slash command: its registration data, its handler and, optionally, its autocomplete. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Skip the per-user cooldown (cheap commands such as /help). Default false. */
  noCooldown?: boolean;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

/** A button's handler, chosen by the prefix of its custom id (`share:…`). */
export interface ButtonHandler {
  prefix: string;
  execute(interaction: ButtonInteraction, ctx: CommandContext): Promise<void>;
}
