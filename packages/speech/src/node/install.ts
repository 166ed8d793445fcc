// Installs the Node hooks (file reading, model directories); imported by node.ts and the CLI commands.
import { readFile } from 'node:fs/promises';
import { DlkitError } from '@dlkit/core';
import { loadModel, saveModel } from '@dlkit/core/node';
import { installHooks } from '../hooks.js';
import { nodeOwwRuntime, OpenWakeWord } from './openwakeword.js';
import { SileroVad } from './silero-vad.js';

export async function readAudioFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DlkitError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `Cannot read audio file ${path}: ${(e as Error).message}`, { details: { file: path } });
  }
}

installHooks({
  readFile: readAudioFile,
  save: saveModel,
  load: (dir) => loadModel(dir),
  async embedder(id) {
    if (id !== 'openwakeword') throw new DlkitError('INVALID_OPTION', `Invalid option pretrained: ${JSON.stringify(id)}; expected "openwakeword".`);
    return OpenWakeWord.load();
  },
  openWakeWordRuntime: nodeOwwRuntime,
  async vad(name) {
    if (name !== 'silero') throw new DlkitError('INVALID_OPTION', `Invalid option vad: ${JSON.stringify(name)}; expected "energy" or "silero".`);
    const v = await SileroVad.load();
    return { gate: v.gate(), dispose: () => v.dispose() };
  },
});
