import { parentPort, workerData } from 'node:worker_threads';
import { type LabelledText, type Params, trainSensingModel } from '../../core/sensing/learn.ts';
import type { SensingDictionary } from '../../core/sensing/types.ts';

/** The training thread (see trainer.ts): trains on what it was given and posts the artifact back. */
const { examples, dictionary, params } = workerData as { examples: LabelledText[]; dictionary: SensingDictionary; params: Partial<Params> };
const model = await trainSensingModel(examples, dictionary, params);
const artifact = model.serialise();
parentPort?.postMessage({ engine: model.engine, artifact }, [artifact.buffer as ArrayBuffer]);
