/** Automatic sensing of group messages (信息快速感知): see sensor.ts and docs/sensing.md. */
export { DEFAULT_DICTIONARY } from './dictionary.ts';
export { extractHints } from './hints.ts';
export { normalise, parseNumber } from './normalise.ts';
export { createSensor, mergeDictionary } from './sensor.ts';
export type { Sensed, SensingDictionary, SensingHints, SensingPhraseRow, Sensor, UrgentKind } from './types.ts';
