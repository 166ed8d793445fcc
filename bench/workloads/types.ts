import type { BackendName } from '@dlkit/core';

/** One benchmark workload: built after the backend is selected, stepped until the time budget ends. */
export interface Workload {
  name: string;
  description: string;
  /** Examples processed by one step (the batch size). */
  samplesPerStep: number;
  /** Script in bench/pytorch/ measuring the same workload, if any. */
  pytorch?: { script: string; args: string[] };
  setup(backend: BackendName): Promise<WorkloadRun>;
}

export interface WorkloadRun {
  /** One step; must have finished its device work when the promise resolves. */
  step(): Promise<void>;
  dispose(): void;
}
