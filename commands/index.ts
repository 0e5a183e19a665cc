/** Every slash command, listed explicitly: this list is what gets registered and routed. */
import type { Command } from '../src/discord/command.ts';
import ask from './ask.ts';
import brief from './brief.ts';
import daily from './daily.ts';
import feeds from './feeds.ts';
import help from './help.ts';
import reload from './reload.ts';
import search from './search.ts';
import status from './status.ts';
import topics from './topics.ts';

export const commands: readonly Command[] = [brief, ask, search, topics, help, daily, reload, status, feeds];
