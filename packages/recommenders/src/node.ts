// Node-only API of @dlkit/recommenders: dataset/CSV loaders, save/load, CLI command functions.
export type { HeldOut } from './node/commands.js';
export { evalCommand, recommendCommand, similarCommand, trainCommand } from './node/commands.js';
export type { CsvInteractionsOptions } from './node/load.js';
export { DATASET_ALIASES, loadInteractions, loadInteractionsCsv, loadMovieLens } from './node/load.js';
export type { SaveExtra } from './node/save.js';
export { loadRecommender, RECOMMENDER_TASK, saveRecommender } from './node/save.js';
