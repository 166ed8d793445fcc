// Node-only API of @dlkit/rl: PNG frame recording (sharp), file logger, save/load and CLI command functions.
export type { TrainCommandOptions } from './node/commands.js';
export { evalAgent, playAgent, trainAgent } from './node/commands.js';
export { jsonlFileLogger } from './node/jsonl.js';
export type { RecordOptions } from './node/record.js';
export { framePng, recordFrames } from './node/record.js';
export type { SaveExtra } from './node/save.js';
export { loadAgent, RL_TASK, saveAgent } from './node/save.js';
