// Node-only API of @dlkit/core: file-system model IO, downloads/cache, WebGPU through Dawn, doctor.
// Importing this module also registers the Node backend probes (webgpu via Dawn, tensorflow).

export type { DoctorReport } from './backend/doctor.js';
export { doctor } from './backend/doctor.js';
export { initNodeWebGPU } from './backend/node-webgpu.js';
export * from './io/index.js';
