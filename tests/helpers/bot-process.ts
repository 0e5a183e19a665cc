/** The bot as `npm start` runs it (`node --import tsx src/main.ts`), as a child process with its output gathered. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout and stderr so far (JSON log lines). */
  output: string;
  /** The exit code (null after a signal). */
  exited: Promise<number | null>;
}

export interface BotProcessOptions {
  /** Modules loaded before src/main.ts (`--import`), e.g. a test's fault injector. */
  preload?: readonly string[];
  /** Called with each chunk of output as well (a suite's log capture). */
  onOutput?: (chunk: string) => void;
}

/** Starts the bot with exactly `env` (and PATH): nothing of the test's own environment leaks in. */
export function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}): BotProcess {
  const imports = (options.preload ?? []).flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  const bot: BotProcess = {
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (c: Buffer) => {
      bot.output += c.toString();
      options.onOutput?.(c.toString());
    });
  return bot;
}

/** The JSON log lines the process has written, parsed (other lines skipped). */
export function logLines(bot: Pick<BotProcess, 'output'>): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of bot.output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut mid-write: the next look sees it whole.
    }
  }
  return lines;
}
