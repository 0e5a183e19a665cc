/**
 * The e2e suites' logs, checked for secrets. Every suite that starts the bot takes its log through
 * {@link captureLogs}: the logger is wired as src/main.ts wires it, and once the suite's tests are done
 * every line is searched for the bot token, the model key and every interaction token the fake Discord
 * handed out (each one lets anyone answer as the bot for 15 minutes).
 */
import type { Logger } from 'pino';
import { afterAll, expect } from 'vitest';
import { configuredSecrets, createLogger } from '../../src/log.ts';
import type { FakeDiscord } from './fake-discord.ts';

/** What a logger is made from: the config's level and secrets. */
export interface LoggerConfig {
  LOG_LEVEL: string;
  DISCORD_TOKEN: string;
  OPENAI_API_KEY?: string | undefined;
}

export class LogCapture {
  /** Every line written through {@link logger}, parsed, in order. */
  readonly lines: Record<string, unknown>[] = [];
  private text = '';
  private readonly secrets = new Set<string>();
  private readonly fakes = new Set<FakeDiscord>();

  /** A logger wired as src/main.ts wires one for `config`; each parsed line also goes to `into`. */
  logger(config: LoggerConfig, into?: Record<string, unknown>[]): Logger {
    this.secret(...configuredSecrets(config));
    return createLogger(
      config.LOG_LEVEL,
      {
        write: (line: string) => {
          this.text += line;
          const parsed = JSON.parse(line) as Record<string, unknown>;
          this.lines.push(parsed);
          into?.push(parsed);
        },
      },
      configuredSecrets(config),
    );
  }

  /** Output of a bot run as a process (its log is its stdout; stderr may hold a crash). */
  output(chunk: string): void {
    this.text += chunk;
  }

  /** Values that must never be logged. */
  secret(...values: (string | undefined)[]): this {
    for (const value of values) if (value !== undefined && value !== '') this.secrets.add(value);
    return this;
  }

  /** Every interaction token `fake` hands out is a secret too (read when checking, so later ones count). */
  watch(fake: FakeDiscord): this {
    this.fakes.add(fake);
    return this;
  }

  /** How much was captured, and how many secrets it is checked for (a check of nothing proves nothing). */
  get size(): { chars: number; secrets: number } {
    return { chars: this.text.length, secrets: this.allSecrets().length };
  }

  /** Each secret found in the log, with the start of the line that holds it. */
  leaks(): string[] {
    const found: string[] = [];
    const lines = this.text.split('\n');
    for (const [kind, value] of this.allSecrets()) {
      const line = lines.find((l) => l.includes(value));
      if (line !== undefined) found.push(`${kind} in: ${line.slice(0, 300)}`);
    }
    return found;
  }

  private allSecrets(): [string, string][] {
    const all: [string, string][] = [...this.secrets].map((s) => ['a configured secret', s]);
    for (const fake of this.fakes)
      for (const token of fake.interactions.keys()) all.push(['an interaction token', token]);
    return all;
  }
}

/**
 * A log capture whose lines are searched for secrets after the suite's tests; call it at the top of a
 * test file (hooks run last-registered first, so the check comes after the suite's own shutdown logs).
 */
export function captureLogs(enabled = true): LogCapture {
  const capture = new LogCapture();
  afterAll(() => {
    if (!enabled) return;
    expect(capture.size.chars).toBeGreaterThan(0);
    expect(capture.leaks()).toEqual([]);
  });
  return capture;
}
