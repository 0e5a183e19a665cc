/** Worker-thread entry of {@link buildIndexInWorker}: opens the engine once, which builds and saves the index. */
import { parentPort, workerData } from 'node:worker_threads';
import { type OpenOptions, openEngine } from './open.ts';

try {
  const opened = await openEngine(workerData as OpenOptions);
  parentPort?.postMessage({ ok: true, indexFrom: opened.indexFrom, warnings: opened.warnings });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: (err as Error).message });
}
