/**
 * The end of the bot process, on a stand-in for `process` (signals and errors are events on it) and a
 * recorded exit. The real process is tested in tests/e2e/main.test.ts.
 */
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { exitOnUncaught, handleSignals } from '../../src/shutdown.ts';

function harness() {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const exits: number[] = [];
  /** The log as it stood when the process exited. */
  const atExit: string[][] = [];
  const exit = (code: number) => {
    exits.push(code);
    atExit.push(lines.map((l) => l.msg));
  };
  return { lines, logger, exits, atExit, exit, on: new EventEmitter() };
}

describe('shutdown', () => {
  it('exits 0 once the graceful stop has finished', async () => {
    const h = harness();
    let finish!: () => void;
    handleSignals({ ...h, stop: () => new Promise<void>((r) => (finish = r)), deadlineMs: 60_000 });
    h.on.emit('SIGTERM');
    expect(h.exits).toEqual([]);
    finish();
    await vi.waitFor(() => expect(h.exits).toEqual([0]));
  });

  it('exits 1 at the overall deadline when the stop never finishes', async () => {
    const h = harness();
    handleSignals({ ...h, stop: () => new Promise<void>(() => {}), deadlineMs: 50 });
    h.on.emit('SIGTERM');
    await vi.waitFor(() => expect(h.exits).toEqual([1]), { timeout: 30_000 });
    expect(h.atExit[0]).toContain('shutdown did not finish in time: exiting at once');
  });

  it('exits 1 at once on a second signal', () => {
    const h = harness();
    handleSignals({ ...h, stop: () => new Promise<void>(() => {}), deadlineMs: 60_000 });
    h.on.emit('SIGINT');
    expect(h.exits).toEqual([]);
    h.on.emit('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.atExit[0]).toContain('second signal while shutting down: exiting at once');
  });

  it('logs an uncaught exception or unhandled rejection at fatal level before exiting 1', () => {
    const h = harness();
    exitOnUncaught(h.logger, h);
    h.on.emit('uncaughtException', new Error('boom'));
    h.on.emit('unhandledRejection', new Error('lost promise'));
    expect(h.exits).toEqual([1, 1]);
    const fatal = h.lines.filter((l) => l.level === 60);
    expect(fatal.map((l) => [l.msg, l.err?.message])).toEqual([
      ['uncaught exception: exiting', 'boom'],
      ['unhandled promise rejection: exiting', 'lost promise'],
    ]);
    expect(h.atExit[0]).toContain('uncaught exception: exiting');
  });
});
