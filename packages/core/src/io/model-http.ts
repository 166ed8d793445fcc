/**
 * Loading a saved model over http(s): fetch model.json, its sibling model-card.json (optional)
 * and the weight files, verify them against the card, then build the model from memory.
 */
import { env } from '../config.js';
import { DlkitError } from '../errors.js';
import { type ModelCard, validateModelCard } from '../model-card.js';
import { tf } from '../tf.js';
import { artifactsFromJson, parseModelJson } from './artifacts.js';

async function get(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new DlkitError('DOWNLOAD_FAILED', `Could not fetch ${what} ${url}: ${(e as Error).message}.`, {
      hint: 'Check the URL and your network.',
      cause: e,
      details: { url },
    });
  }
  return res;
}

async function getOk(url: string, what: string): Promise<Uint8Array> {
  const res = await get(url, what);
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new DlkitError(res.status === 404 ? 'NOT_FOUND' : 'DOWNLOAD_FAILED', `Could not fetch ${what} ${url}: HTTP ${res.status}.`, {
      hint: 'Check the URL; it must point at model.json with its weight files beside it.',
      details: { url, status: res.status },
    });
  }
  return new Uint8Array(await res.arrayBuffer());
}

export async function loadModelFromHttp(url: string, verify: boolean, cardName: string): Promise<{ model: tf.LayersModel; card: ModelCard | undefined }> {
  if (env.offline || !env.allowRemoteModels) {
    throw new DlkitError('OFFLINE', `Offline mode (DLKIT_OFFLINE / env.offline / env.allowRemoteModels) forbids loading ${url}.`, {
      hint: 'Download the model directory and load it from disk, or unset DLKIT_OFFLINE.',
      details: { url },
    });
  }
  const json = parseModelJson(new TextDecoder().decode(await getOk(url, 'model file')), url);
  const cardUrl = new URL(cardName, url).href;
  let card: ModelCard | undefined;
  const cardRes = await get(cardUrl, 'model card');
  if (cardRes.ok) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await cardRes.text());
    } catch (e) {
      throw new DlkitError('CORRUPT_DATA', `Model card ${cardUrl} is not valid JSON: ${(e as Error).message}.`, { cause: e, details: { url: cardUrl } });
    }
    card = validateModelCard(parsed, cardUrl);
  } else {
    await cardRes.body?.cancel().catch(() => {}); // no card: fine, e.g. a plain tfjs-converter model
  }
  const artifacts = await artifactsFromJson(
    json,
    url,
    (p) => getOk(new URL(p, url).href, `weights file (listed in ${url})`),
    (p) => new URL(p, url).href,
    verify ? card?.weights : undefined,
  );
  try {
    return { model: await tf.loadLayersModel(tf.io.fromMemory(artifacts)), card };
  } catch (e) {
    throw new DlkitError('CORRUPT_DATA', `Could not build a model from ${url}: ${(e as Error).message}.`, { cause: e, details: { url } });
  }
}
