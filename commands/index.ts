/** Every slash command, listed explicitly: this list is what gets registered and routed. */
import type { Command } from '../src/discord/command.ts';
import ask from './ask.ts';
import brief from './brief.ts';
import help from './help.ts';
import search from './search.ts';
import topics from './topics.ts';

export const commands: readonly Command[] = [brief, ask, search, topics, help];
