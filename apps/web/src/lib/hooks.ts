/**
 * Browser implementations of the task packages' environment hooks: model directories and
 * pretrained weights come over HTTP from this app's server (/models/…, /pretrained/…), with
 * the canonical upstream URL as the fallback when the server has no local copy.
 */
import { DlkitError, tf } from '@dlkit/core';
import { installHooks as installSpeechHooks, OpenWakeWord } from '@dlkit/speech';
import { assignWeightsByName, installHooks as installVisionHooks, mobileNetV1, type PretrainedFiles, parseLabels, pretrainedSpec } from '@dlkit/vision';
import { fetchBytes, fetchJson, fetchText, firstAvailable, type OnProgress } from './fetch.js';
import { loadLayersModel } from './load-model.js';
import { owwRuntime } from './oww.js';

/** Where a pretrained folder is served from: local copy first, else the canonical URL. */
export async function pretrainedBase(folder: string, canonical: string, probe = 'model.json'): Promise<string> {
  const local = `/pretrained/${folder}/`;
  return (await firstAvailable([local + probe, canonical + probe])).slice(0, -probe.length);
}

let progress: OnProgress | undefined;
/** The progress callback the next hook-driven download reports to. */
export function setHookProgress(p: OnProgress | undefined): void {
  progress = p;
}

async function visionPretrained(id: string, o: { inputSize?: [number, number] }): Promise<PretrainedFiles> {
  const spec = pretrainedSpec(id);
  const base = await pretrainedBase(spec.folder, spec.baseUrl);
  const local = base.startsWith('/');
  const labelsText = await fetchText(local ? base + spec.labels.path : spec.labels.url);
  const labels = parseLabels(labelsText, spec.labels.format, spec.labels.path);
  const json = await fetchJson<{ modelTopology: Record<string, unknown> | null; weightsManifest: tf.io.WeightsManifestConfig }>(`${base}model.json`);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const parts: Uint8Array[] = [];
  let done = 0;
  for (const p of paths) {
    const b = await fetchBytes(base + p, (e) => progress?.({ url: base, loaded: done + e.loaded, total: 0 }));
    done += b.byteLength;
    parts.push(b);
  }
  const data = new Uint8Array(done);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.byteLength;
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  if (spec.format === 'layers') {
    if (!json.modelTopology) throw new DlkitError('CORRUPT_DATA', `${base}model.json has no modelTopology.`);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data.buffer }));
    return { model, labels };
  }
  const size = o.inputSize ?? spec.preprocessing.size;
  const model = mobileNetV1({ alpha: spec.alpha, inputShape: [size[0], size[1], 3], classes: labels.length });
  const named = tf.io.decodeWeights(data.buffer, specs);
  try {
    assignWeightsByName(model, named, `${base}model.json`);
  } finally {
    tf.dispose(Object.values(named));
  }
  return { model, labels };
}

let installed = false;
export function installBrowserHooks(): void {
  if (installed) return;
  installed = true;
  const load = (dir: string) => loadLayersModel(dir.endsWith('/') ? dir : `${dir}/`, progress);
  installVisionHooks({ load, pretrained: visionPretrained });
  installSpeechHooks({
    load,
    openWakeWordRuntime: owwRuntime,
    async embedder(id) {
      if (id !== 'openwakeword') throw new DlkitError('INVALID_OPTION', `Invalid option pretrained: ${JSON.stringify(id)}; expected "openwakeword".`);
      return OpenWakeWord.load(await owwRuntime());
    },
  });
}
