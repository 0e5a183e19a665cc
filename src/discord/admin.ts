/**
 * Who may use the admin commands. Discord hides them from members without Manage Server (the commands
 * are registered with that default permission), but a server can override that and the client's list is
 * not a check: every admin command is checked again here, on each use.
 */
import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  PermissionFlagsBits,
  type SlashCommandBuilder,
} from 'discord.js';

export interface AdminList {
  roleIds: readonly string[];
  userIds: readonly string[];
}

/** Registration defaults for an admin command: Manage Server, servers only. */
export function adminOnly(builder: SlashCommandBuilder): SlashCommandBuilder {
  return builder
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild);
}

export function isAdmin(interaction: ChatInputCommandInteraction, admins: AdminList): boolean {
  if (admins.userIds.includes(interaction.user.id)) return true;
  if (interaction.inGuild() && interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))
    return true;
  const roles = interaction.member?.roles;
  const ids = roles === undefined ? [] : Array.isArray(roles) ? roles : [...roles.cache.keys()];
  return ids.some((r) => admins.roleIds.includes(r));
}
