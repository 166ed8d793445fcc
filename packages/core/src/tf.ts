/**
 * The one tfjs instance of dlkit. Every package imports `tf` from `@dlkit/core`, never from
 * '@tensorflow/tfjs' directly, so there is one backend choice and one set of kernel fixes.
 */
import * as tf from '@tensorflow/tfjs';

// PROD silences tfjs's console banners ("looks like you are running TensorFlow.js in Node.js")
// that would corrupt CLI output; DLKIT_DEBUG=1 keeps tfjs's debug checks instead.
const debug = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DLKIT_DEBUG === '1';
tf.env().set(debug ? 'DEBUG' : 'PROD', true);

export { tf };
export type Tensor = tf.Tensor;
export type LayersModel = tf.LayersModel;
