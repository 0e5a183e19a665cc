/**
 * Packs lines of text into Discord embeds and messages without breaking Discord's limits, and without
 * cutting a line (a bullet with its citations) in two unless the line alone exceeds a limit.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';

/** Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of every embed's title, description, field names and values, footer and author, per message. */
  messageEmbedChars: 6000,
  embedsPerMessage: 10,
  content: 2000,
} as const;

/** What goes into the embeds of one reply, before packing. */
export interface EmbedPlan {
  title: string;
  url?: string | undefined;
  color?: number | undefined;
  /** Description lines, kept whole and in order. */
  lines: string[];
  /** Field groups (e.g. "Sources"): each group's lines fill as many fields as they need. */
  groups: { name: string; lines: string[] }[];
  footer?: string | undefined;
}

/** Characters Discord counts toward the 6000 per message. */
export function embedChars(e: APIEmbed): number {
  let n = (e.title ?? '').length + (e.description ?? '').length + (e.footer?.text ?? '').length;
  n += (e.author?.name ?? '').length;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Cuts `text` to at most `max` characters at a word boundary, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max * 0.6 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * Splits a line longer than `max` into pieces at word boundaries. A trailing citation run (`[1][3]`)
 * stays whole with the last piece, so a citation is never cut.
 */
export function splitLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const tail = line.match(/(?:\s*\[\d+\])+$/)?.[0] ?? '';
  let rest = line.slice(0, line.length - tail.length);
  const pieces: string[] = [];
  while (rest.length + tail.length > max) {
    const room = rest.slice(0, max);
    const space = room.lastIndexOf(' ');
    const cut = space > max * 0.5 ? space : max;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(`${rest}${tail}`);
  return pieces;
}

/** Joins lines into chunks of at most `max` characters (joined by newlines), never splitting a line that fits. */
export function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    for (const line of splitLine(raw, max)) {
      if (current !== '' && current.length + 1 + line.length > max) {
        chunks.push(current);
        current = '';
      }
      current = current === '' ? line : `${current}\n${line}`;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/**
 * Packs a plan into messages (arrays of embeds) that each respect every limit. The first embed has the
 * title; continuation embeds have none; the footer goes on the last embed of the last message.
 */
export function packEmbeds(plan: EmbedPlan): APIEmbed[][] {
  const title = clip(plan.title, LIMITS.title);
  const footer = plan.footer === undefined ? undefined : clip(plan.footer, LIMITS.footer);
  // Room kept in every message for the footer, so adding it at the end never overflows.
  const budget = LIMITS.messageEmbedChars - (footer?.length ?? 0);
  const messages: APIEmbed[][] = [];
  let message: APIEmbed[] = [];
  let used = 0;
  let embed: APIEmbed | undefined;

  const newEmbed = (size: number): APIEmbed => {
    if (message.length >= LIMITS.embedsPerMessage || used + size > budget) {
      messages.push(message);
      message = [];
      used = 0;
    }
    const e: APIEmbed = messages.length === 0 && message.length === 0 ? { title } : {};
    if (e.title !== undefined) {
      if (plan.url !== undefined) e.url = plan.url;
      used += e.title.length;
    }
    if (plan.color !== undefined) e.color = plan.color;
    message.push(e);
    return e;
  };

  for (const chunk of chunkLines(plan.lines, LIMITS.description)) {
    embed = newEmbed(chunk.length);
    embed.description = chunk;
    used += chunk.length;
  }
  for (const group of plan.groups) {
    const name = clip(group.name, LIMITS.fieldName);
    const values = chunkLines(group.lines, LIMITS.fieldValue);
    values.forEach((value, i) => {
      const field: APIEmbedField = { name: i === 0 ? name : `${name} (cont.)`, value };
      const size = field.name.length + field.value.length;
      if (embed === undefined || (embed.fields?.length ?? 0) >= LIMITS.fields || used + size > budget) {
        embed = newEmbed(size);
      }
      embed.fields = [...(embed.fields ?? []), field];
      used += size;
    });
  }
  if (embed === undefined) embed = newEmbed(0);
  if (footer !== undefined) embed.footer = { text: footer };
  messages.push(message);
  return messages;
}
