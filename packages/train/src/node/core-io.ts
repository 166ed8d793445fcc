// Model IO comes from @dlkit/core/node (atomic saveModel, verified loadModel); re-exported for our modules.
export { loadModel, saveModel } from '@dlkit/core/node';
