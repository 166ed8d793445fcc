/** The step loop of the pretraining objectives (MLM, bidirectional LM): mean loss per logged window. */
import type { tf } from '@dlkit/core';

export interface PretrainLoopOptions {
  steps: number;
  logEvery: number;
  /** Called every `logEvery` steps (and at the last) with the step (1-based) and the mean loss since the last call. */
  onLog?: (step: number, loss: number) => void;
  signal?: AbortSignal;
}

/** Runs `step(i)` for i = 1..steps (until aborted); a step returns its loss scalar, or undefined to skip. */
export async function runPretrainSteps(o: PretrainLoopOptions, step: (i: number) => tf.Scalar | undefined): Promise<{ step: number; loss: number }[]> {
  const log: { step: number; loss: number }[] = [];
  let sum = 0;
  let count = 0;
  for (let i = 1; i <= o.steps && !o.signal?.aborted; i++) {
    const loss = step(i);
    if (loss) {
      sum += (await loss.data())[0]!;
      count++;
      loss.dispose();
    }
    if (count > 0 && (i % o.logEvery === 0 || i === o.steps)) {
      log.push({ step: i, loss: sum / count });
      o.onLog?.(i, sum / count);
      sum = 0;
      count = 0;
    }
  }
  return log;
}
