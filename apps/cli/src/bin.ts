#!/usr/bin/env node
/**
 * Entry of the `dlkit` command. In a development checkout the real datasets and weights sit in
 * ../shared (see the README); use them when DLKIT_DATA_DIR / DLKIT_MODEL_DIR are not set.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = join(repoRoot, '..', 'shared');
if (!process.env.DLKIT_DATA_DIR && existsSync(join(shared, 'datasets'))) process.env.DLKIT_DATA_DIR = join(shared, 'datasets');
if (!process.env.DLKIT_MODEL_DIR && existsSync(join(shared, 'models'))) process.env.DLKIT_MODEL_DIR = join(shared, 'models');

// Import after the environment is settled: @dlkit/core reads DLKIT_* when it loads.
const { main } = await import('./program.js');
const code = await main(process.argv.slice(2));
// Exit explicitly: Dawn (WebGPU) can keep the event loop alive after the last GPU use.
process.exit(code);
