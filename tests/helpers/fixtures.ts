import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { openEngine } from '../../src/engine/open.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FIXTURE_CORPUS = `${FIXTURES}corpus`;
export const BAD_CORPUS = `${FIXTURES}bad`;
export const TOPICS = fileURLToPath(new URL('../../data/topics.json', import.meta.url));
export const SYNONYMS = fileURLToPath(new URL('../../data/synonyms.json', import.meta.url));
export const SHARED_CORPUS = fileURLToPath(new URL('../../../shared/corpus/articles', import.meta.url));

let fixtureEngine: Promise<Engine> | undefined;

/** The engine over tests/fixtures/corpus, built once per test file. */
export function fixtureEngineOnce(): Promise<Engine> {
  fixtureEngine ??= openEngine({
    corpus: FIXTURE_CORPUS,
    topicsFile: TOPICS,
    synonymsFile: SYNONYMS,
    now: () => new Date('2024-12-31T12:00:00Z'),
  }).then((o) => o.engine);
  return fixtureEngine;
}

/** A scratch directory for the running test, removed when it finishes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
