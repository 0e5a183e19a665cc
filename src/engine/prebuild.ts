/**
 * Builds the index for the corpus as it is now on a worker thread and saves it to the index cache, so
 * a reload's heavy part never runs on the thread that answers commands: the main thread then only
 * reads the saved index (about 0.3 s instead of 1.6 s for the 1,808-document corpus).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OpenOptions } from './open.ts';

export type PrebuildOptions = Pick<OpenOptions, 'corpus' | 'topicsFile' | 'synonymsFile' | 'index'> & {
  indexCache: string;
};

/** tsx's ESM API (the `import` condition: its CommonJS build cannot register hooks in a worker). */
function tsxEsmApi(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  // Test runners that transform modules may not offer import.meta.resolve.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}

/** Resolves with what happened; never rejects (the caller then simply builds the index itself). */
export function buildIndexInWorker(options: PrebuildOptions): Promise<{ ok: boolean; error?: string }> {
  // The worker runs TypeScript like the rest of the app: tsx is registered inside it before the entry loads.
  const entry = new URL('./build-worker.ts', import.meta.url).href;
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      const tsx = tsxEsmApi();
      const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
      worker = new Worker(boot, { eval: true, workerData: options });
    } catch (err) {
      return resolve({ ok: false, error: (err as Error).message });
    }
    let answered = false;
    worker.once('message', (m: { ok: boolean; error?: string }) => {
      answered = true;
      resolve(m);
    });
    worker.once('error', (err) => resolve({ ok: false, error: err.message }));
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, error: `the index worker exited with code ${code}` });
    });
  });
}
