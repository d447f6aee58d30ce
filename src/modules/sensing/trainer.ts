import { Worker } from 'node:worker_threads';
import { type LabelledText, loadSensingModel, type Params, type SensingModel } from '../../core/sensing/learn.ts';
import type { SensingDictionary } from '../../core/sensing/types.ts';

/** The thread starts as plain JavaScript that registers tsx's loader, then imports the TypeScript worker. */
const BOOT = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(new URL('./train.worker.ts', import.meta.url).href)});
})();`;

/**
 * Trains a sensing model in a worker thread, so that the seconds of training never hold up this process's requests
 * (intake keeps answering while a retrain runs), and loads the result here. The same examples give the same model as
 * trainSensingModel in this thread.
 */
export function trainInWorker(examples: readonly LabelledText[], dictionary: SensingDictionary, params: Partial<Params> = {}): Promise<SensingModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: { examples, dictionary, params } });
    let done = false;
    worker.once('message', (m: { engine: string; artifact: Uint8Array }) => {
      done = true;
      loadSensingModel(m.engine, m.artifact).then(resolve, reject);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`the training thread stopped (exit code ${code}) before it answered`));
    });
  });
}
