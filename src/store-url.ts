/**
 * Store URLs, as `CACHE_URL` and `STATE_URL` (and the CLI's `--cache`/`--state`) write them: unset or
 * `memory:` for in-process, `sqlite://<file>`, or `redis://host:port`. One reading for every store, and
 * every message names the variable it came from.
 */
import { UserError } from './errors.ts';

export type StoreBackend = 'memory' | 'sqlite' | 'redis';

/** A store URL understood: which backend, and its file (sqlite) or URL (redis); '' for memory. */
export interface StoreUrl {
  backend: StoreBackend;
  target: string;
}

/** Which backend `url` names, or why it names none (`"<url>": <why>`, without the variable's name). */
export function readStoreUrl(url: string | undefined): StoreUrl | { problem: string } {
  const value = (url ?? '').trim();
  const problem = (why: string) => ({ problem: `"${value}": ${why}.` });
  if (value === '' || value === 'memory:' || value === 'memory://') return { backend: 'memory', target: '' };
  if (value.startsWith('sqlite://')) {
    const file = value.slice('sqlite://'.length);
    if (file === '') return problem('sqlite:// needs a file path, e.g. sqlite://data/cache.sqlite');
    return { backend: 'sqlite', target: file };
  }
  if (value.startsWith('redis://') || value.startsWith('rediss://')) {
    if (!URL.canParse(value)) return problem('it is not a valid URL; write redis://host:port');
    return { backend: 'redis', target: value };
  }
  return problem('use sqlite://<file>, redis://host:port, or leave it unset for an in-memory cache');
}

/** Which backend `url` names; a {@link UserError} naming `variable` (e.g. `STATE_URL`) when it names none. */
export function parseStoreUrl(url: string | undefined, variable: string): StoreUrl {
  const read = readStoreUrl(url);
  if ('problem' in read)
    throw new UserError('bad_config', `${variable} ${read.problem}`, { [variable]: (url ?? '').trim() });
  return read;
}
