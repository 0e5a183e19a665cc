/** Waiting on a condition seen from outside (an HTTP endpoint, a /status text), and reading /metrics. */

/**
 * Asks again every `everyMs` until `ok` holds; fails after `timeoutMs`, a generous deadline: no test
 * depends on how fast the answer comes.
 */
export async function until<T>(
  ask: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  { timeoutMs = 30_000, everyMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One sample of a Prometheus text scrape (`name{labels}` as written), or undefined when there is none. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
