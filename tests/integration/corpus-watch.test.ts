/**
 * CORPUS_WATCH over a real directory: deleted, made again, and written to. No assertion is about time:
 * each step waits (generously) for the change to be heard, which without re-arming never happens.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CorpusWatch, watchCorpus } from '../../src/corpus-watch.ts';

const WAIT = { timeout: 30_000, interval: 20 };
let scratch: string | undefined;
let watch: CorpusWatch | undefined;

afterEach(() => {
  watch?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('CORPUS_WATCH', () => {
  it('re-arms when the corpus directory is deleted and made again, and logs when it stops and restarts', async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'watch-test-'));
    const dir = path.join(scratch, 'articles');
    mkdirSync(dir);
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    let changes = 0;
    watch = watchCorpus(dir, () => changes++, logger, { debounceMs: 50, checkMs: 50 });

    writeFileSync(path.join(dir, 'one.txt'), 'one');
    await vi.waitFor(() => expect(changes).toBeGreaterThanOrEqual(1), WAIT);

    rmSync(dir, { recursive: true });
    await vi.waitFor(
      () =>
        expect(lines.map((l) => l.msg)).toContain(
          'watch: stopped watching the corpus (the directory is gone); watching again when it is back',
        ),
      WAIT,
    );
    mkdirSync(dir);
    await vi.waitFor(
      () => expect(lines.map((l) => l.msg)).toContain('watch: watching the corpus again'),
      WAIT,
    );
    // The directory coming back is a change in itself (its files may all be new).
    const before = changes;
    await vi.waitFor(() => expect(changes).toBeGreaterThan(before), WAIT);

    // And the new directory is watched: a file written into it is heard.
    const settled = changes;
    writeFileSync(path.join(dir, 'two.txt'), 'two');
    await vi.waitFor(() => expect(changes).toBeGreaterThan(settled), WAIT);
    expect(lines.find((l) => l.msg.startsWith('watch: stopped'))!.level).toBe(40);
  });

  it('notices a directory replaced between two checks (same name, new directory)', async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'watch-test-'));
    const dir = path.join(scratch, 'articles');
    mkdirSync(dir);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l).msg) });
    let changes = 0;
    watch = watchCorpus(dir, () => changes++, logger, { debounceMs: 50, checkMs: 50 });
    // Swapped at once, as a deploy that renames a fresh copy into place does.
    const fresh = path.join(scratch, 'fresh');
    mkdirSync(fresh);
    rmSync(dir, { recursive: true });
    renameSync(fresh, dir);
    await vi.waitFor(() => expect(lines).toContain('watch: watching the corpus again'), WAIT);
    await vi.waitFor(() => expect(changes).toBeGreaterThanOrEqual(1), WAIT);
    const settled = changes;
    writeFileSync(path.join(dir, 'three.txt'), 'three');
    await vi.waitFor(() => expect(changes).toBeGreaterThan(settled), WAIT);
  });
});
