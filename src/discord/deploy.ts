import {
  type APIApplicationCommand,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { Command } from './command.ts';
import { validateCommands } from './router.ts';

export interface DeployReport {
  scope: 'global' | { guild: string };
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/** The parts of a command that registration sets, with Discord's defaults filled in, for comparison. */
function shape(c: RESTPostAPIChatInputApplicationCommandsJSONBody | APIApplicationCommand): string {
  const options = (c.options ?? []).map((o) => {
    const { name, description, type } = o;
    const extra = o as unknown as Record<string, unknown>;
    return {
      name,
      description,
      type,
      required: extra.required ?? false,
      autocomplete: extra.autocomplete ?? false,
      min_length: extra.min_length,
      max_length: extra.max_length,
      min_value: extra.min_value,
      max_value: extra.max_value,
      choices: extra.choices ?? [],
    };
  });
  return JSON.stringify({
    name: c.name,
    description: c.description,
    options,
    default_member_permissions: c.default_member_permissions ?? null,
  });
}

/**
 * Registers the commands (to one guild when `guildId` is set: instant, for development; globally
 * otherwise) with one bulk overwrite, and reports what changed against what was registered before.
 */
export async function deployCommands(options: {
  rest: REST;
  appId: string;
  guildId?: string | undefined;
  commands: readonly Command[];
}): Promise<DeployReport> {
  validateCommands(options.commands);
  const route =
    options.guildId === undefined
      ? Routes.applicationCommands(options.appId)
      : Routes.applicationGuildCommands(options.appId, options.guildId);
  const before = (await options.rest.get(route)) as APIApplicationCommand[];
  const wanted = options.commands.map((c) => c.data);
  await options.rest.put(route, { body: wanted });
  const old = new Map(before.map((c) => [c.name, shape(c)]));
  const report: DeployReport = {
    scope: options.guildId === undefined ? 'global' : { guild: options.guildId },
    added: [],
    changed: [],
    removed: [],
    unchanged: [],
  };
  for (const c of wanted) {
    const previous = old.get(c.name);
    if (previous === undefined) report.added.push(c.name);
    else if (previous !== shape(c)) report.changed.push(c.name);
    else report.unchanged.push(c.name);
    old.delete(c.name);
  }
  report.removed = [...old.keys()];
  return report;
}

export function formatDeployReport(r: DeployReport): string {
  const where =
    r.scope === 'global' ? 'globally (may take up to an hour to appear)' : `to guild ${r.scope.guild}`;
  const list = (label: string, names: string[]) =>
    names.length ? `  ${label}: ${names.map((n) => `/${n}`).join(', ')}\n` : '';
  return (
    `Registered ${r.added.length + r.changed.length + r.unchanged.length} commands ${where}.\n` +
    list('added', r.added) +
    list('changed', r.changed) +
    list('removed', r.removed) +
    list('unchanged', r.unchanged)
  );
}
