/**
 * Routes interactions to commands, buttons and autocomplete; applies the cooldown; turns every failure
 * into a reply (ephemeral, unless it edits a public deferral; with an error id when it was not the
 * user's doing); tracks work in flight so a shutdown can wait for it.
 */
import { randomBytes } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import { UserError } from '../errors.ts';
import { isAdmin } from './admin.ts';

import type { BotServices, ButtonHandler, Command, CommandContext } from './command.ts';
import { Cooldown, type CooldownStore } from './cooldown.ts';
import { onFirstResponse } from './first-response.ts';
import { renderError } from './render.ts';
import { NO_MENTIONS } from './reply.ts';
import { shardOf } from './shards.ts';
import type { ShareStore } from './share.ts';

export interface RouterOptions {
  commands: readonly Command[];
  buttons?: readonly ButtonHandler[];
  /** The engine in service now. */
  engine: () => Engine;
  logger: Logger;
  shares: ShareStore;
  /** Per-user cooldown in ms; 0 turns it off. */
  cooldownMs: number;
  /** Where the cooldown is kept; default in this process. */
  cooldown?: CooldownStore;
  publicByDefault?: boolean;
  services: BotServices;
  now?: () => number;
  /** Told how each command or button ended (`ok`, `user_error`, `error`, `cooldown`, …) and how long it took. */
  onOutcome?: (outcome: InteractionOutcome) => void;
  /** Told when a command or button was first answered (Discord's 3 s deadline), and how long after receipt. */
  onFirstResponse?: (command: string, seconds: number) => void;
}

export interface InteractionOutcome {
  /** The command's name, or `button:<prefix>`. */
  command: string;
  outcome: string;
  seconds: number;
}

/** Checks the command list before anything is registered: a bad definition stops start-up here. */
export function validateCommands(commands: readonly Command[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, c] of commands.entries()) {
    const name = c?.data?.name;
    if (typeof name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name)) {
      problems.push(
        `command #${i + 1}: name "${String(name)}" must be 1–32 lower-case letters, digits, - or _`,
      );
      continue;
    }
    if (seen.has(name)) problems.push(`command "${name}" is listed twice in commands/index.ts`);
    seen.add(name);
    const description = c.data.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      problems.push(`command "${name}": description must be 1–100 characters`);
    }
    if (typeof c.execute !== 'function') problems.push(`command "${name}" has no execute function`);
  }
  if (problems.length > 0)
    throw new Error(`Invalid slash commands:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

export class Router {
  /** When set, new interactions are turned away politely (the bot is shutting down). */
  closing = false;
  private readonly commands = new Map<string, Command>();
  private readonly cooldown: CooldownStore;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: RouterOptions) {
    validateCommands(options.commands);
    for (const c of options.commands) this.commands.set(c.data.name, c);
    this.cooldown = options.cooldown ?? new Cooldown(options.cooldownMs, options.now);
  }

  /** Handles one interaction; never rejects. */
  handle(interaction: Interaction): Promise<void> {
    const work = this.dispatch(interaction).catch((err) =>
      this.options.logger.error({ err, interaction: interaction.id }, 'interaction handler crashed'),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Waits for interactions in flight, at most `timeoutMs`; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = Promise.allSettled([...this.inFlight]).then(() => true);
    const finished = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return finished;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private context(logger: Logger): CommandContext {
    return {
      engine: this.options.engine,
      logger,
      shares: this.options.shares,
      publicByDefault: this.options.publicByDefault ?? false,
      services: this.options.services,
    };
  }

  private async dispatch(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (interaction.isChatInputCommand()) return this.command(interaction);
    if (interaction.isButton()) return this.button(interaction);
  }

  private logger(interaction: Interaction, extra: Record<string, unknown>): Logger {
    return this.options.logger.child({
      interaction: interaction.id,
      user: interaction.user.id,
      guild: interaction.guildId ?? 'dm',
      shard:
        interaction.guild?.shardId ??
        shardOf(interaction.guildId, interaction.client.options.shardCount ?? 1),
      ...extra,
    });
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    this.timeFirstResponse(interaction, interaction.commandName, started);
    const log = this.logger(interaction, { command: interaction.commandName });
    const command = this.commands.get(interaction.commandName);
    const refuse = (message: string, outcome: string) => {
      log.info({ outcome }, message);
      this.outcome(interaction.commandName, outcome, started);
      return interaction.reply({
        ...renderError(message),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
    };
    if (this.closing) {
      await refuse('The bot is restarting; try again in a moment.', 'closing');
      return;
    }
    if (command === undefined) {
      await refuse(
        `This bot has no /${interaction.commandName} command any more; see /help.`,
        'unknown_command',
      );
      return;
    }
    if (command.admin === true && !isAdmin(interaction, this.options.services.admins)) {
      await refuse(
        interaction.inGuild()
          ? `/${interaction.commandName} is for server admins: the Manage Server permission, or a role or user the bot's ADMIN_ROLE_IDS / ADMIN_USER_IDS list.`
          : `/${interaction.commandName} works only in a server, for its admins.`,
        'not_admin',
      );
      return;
    }
    if (command.noCooldown !== true) {
      const wait = await this.cooldown.take(interaction.user.id);
      if (wait > 0) {
        await refuse(`Slow down a little: try again in ${Math.ceil(wait / 1000)}s.`, 'cooldown');
        return;
      }
    }
    try {
      await command.execute(interaction, this.context(log));
      log.info({ outcome: 'ok', latencyMs: Math.round(performance.now() - started) }, 'answered');
      this.outcome(interaction.commandName, 'ok', started);
    } catch (err) {
      this.outcome(interaction.commandName, await this.fail(interaction, err, log, started), started);
    }
  }

  private timeFirstResponse(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    command: string,
    started: number,
  ): void {
    const told = this.options.onFirstResponse;
    if (told !== undefined)
      onFirstResponse(interaction, () => told(command, (performance.now() - started) / 1000));
  }

  private outcome(command: string, outcome: string, started: number): void {
    this.options.onOutcome?.({ command, outcome, seconds: (performance.now() - started) / 1000 });
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const started = performance.now();
    const handler = this.options.buttons?.find((b) => interaction.customId.startsWith(b.prefix));
    this.timeFirstResponse(interaction, `button:${handler?.prefix ?? 'unknown'}`, started);
    const log = this.logger(interaction, { button: handler?.prefix ?? interaction.customId.slice(0, 20) });
    try {
      if (handler === undefined) throw new UserError('bad_option', 'This button no longer does anything.');
      await handler.execute(interaction, this.context(log));
      log.info({ outcome: 'ok', latencyMs: Math.round(performance.now() - started) }, 'answered');
      this.outcome(`button:${handler.prefix}`, 'ok', started);
    } catch (err) {
      const outcome = await this.fail(interaction, err, log, started);
      this.outcome(`button:${handler?.prefix ?? 'unknown'}`, outcome, started);
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    try {
      if (command?.autocomplete === undefined) await interaction.respond([]);
      else await command.autocomplete(interaction, this.context(this.options.logger));
    } catch (err) {
      this.options.logger.warn({ err, command: interaction.commandName }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => {});
    }
  }

  /** The one place a failure becomes a reply, never leaving the interaction unanswered. */
  private async fail(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    err: unknown,
    log: Logger,
    started: number,
  ): Promise<'user_error' | 'error'> {
    const latencyMs = Math.round(performance.now() - started);
    let payload: ReturnType<typeof renderError>;
    if (err instanceof UserError) {
      log.info({ outcome: 'user_error', errorKind: err.id, latencyMs, ...err.context }, err.message);
      payload = renderError(err.message);
    } else {
      const errorId = randomBytes(4).toString('hex');
      log.error({ err, errorId, outcome: 'error', latencyMs }, 'command failed');
      payload = renderError('Something went wrong while answering; it has been logged.', errorId);
    }
    try {
      if (!interaction.deferred && !interaction.replied) {
        await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      } else {
        // The deferred reply becomes the error, public or not. A public one cannot be made private, and
        // deleting it first does not help: Discord makes the first follow-up after a deferral an edit of
        // the (deleted) original, so the "private" error could land in public, or nowhere.
        await interaction.editReply({ ...payload, components: [], allowedMentions: NO_MENTIONS });
      }
    } catch (replyErr) {
      log.error({ err: replyErr }, 'could not tell the user about the failure');
    }
    return err instanceof UserError ? 'user_error' : 'error';
  }
}
