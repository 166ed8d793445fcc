/**
 * The one tfjs instance of dlkit. Every package imports `tf` from `@dlkit/core`, never from
 * '@tensorflow/tfjs' directly, so there is one backend choice and one set of kernel fixes.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type LayersModel = tf.LayersModel;
