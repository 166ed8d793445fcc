import { cnnMnistInfer, cnnMnistTrain } from './cnn-mnist.js';
import { GEN_WORKLOADS } from './gen-vae.js';
import { REC_WORKLOADS } from './rec-mf.js';
import { rlCartpoleEnv, rlDqnCartpoleLearn, rlDqnCartpoleUpdate } from './rl-cartpole.js';
import { rlDqnMountaincarLearn, rlDqnMountaincarUpdate } from './rl-mountaincar.js';
import { SPEECH_WORKLOADS } from './speech-kws.js';
import { TEXT_WORKLOADS } from './text-classifiers.js';
import type { Workload } from './types.js';
import { VISION_WORKLOADS } from './vision-classifiers.js';

// Later issues add workloads here (LSTM, bag-of-embeddings, VAE, DCGAN, MF, DQN).
export const WORKLOADS: Workload[] = [cnnMnistTrain, cnnMnistInfer, rlCartpoleEnv, rlDqnCartpoleUpdate, rlDqnCartpoleLearn, rlDqnMountaincarUpdate, rlDqnMountaincarLearn, ...VISION_WORKLOADS, ...TEXT_WORKLOADS, ...REC_WORKLOADS, ...SPEECH_WORKLOADS, ...GEN_WORKLOADS];
