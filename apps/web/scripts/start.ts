/**
 * `pnpm start`: build the demo hub and serve it on localhost, printing the URL. Build logs are
 * kept to errors (the task packages' Node-only chunks make Vite chatty); `pnpm dev` is the
 * verbose, hot-reloading variant. PORT / HOST override where it listens.
 */
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { modelRoots } from '../server/model-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? 'localhost';

const t0 = performance.now();
process.stdout.write('Building the dlkit demo hub… ');
await build({ root, configFile, logLevel: 'error' });
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
const server = await preview({ root, configFile, logLevel: 'error', preview: { port, host, strictPort: false } });
const roots = modelRoots(fileURLToPath(new URL('../../..', import.meta.url)));
console.log(`Release models from ${roots.models}`);
console.log(roots.pretrained ? `Pretrained weights from ${roots.pretrained}` : 'Pretrained weights: no DLKIT_MODEL_DIR or ../shared/models; pages fetch the canonical upstream URLs');
console.log(`\n  dlkit demos: ${server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`}\n`);
console.log('Press Ctrl-C to stop.');
