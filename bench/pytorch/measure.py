"""The measuring loop every bench/pytorch script shares, so the rule matches bench/run.ts exactly.

DLKIT_BENCH_CLOCK=cpu (pnpm bench --clock cpu): windows are measured in CPU seconds, and the
printed JSON line has samples per CPU-second beside samples per wall second.
"""
import json, os, time


def measure(step, seconds, samples_per_step=None, min_steps=1, **extra):
    """Warm up (3 steps and 1 s of the measuring clock; at least one step, at most the window),
    then run `step` for `seconds` and print one JSON line. `step()` returns the samples it did, or
    each call counts `samples_per_step`."""
    clock = time.process_time if os.environ.get("DLKIT_BENCH_CLOCK") == "cpu" else time.perf_counter

    def run():
        done = step()
        return samples_per_step if samples_per_step is not None else done

    w0, k = clock(), 0
    while k < 1 or ((k < 3 or clock() - w0 < 1.0) and clock() - w0 < seconds):
        run()
        k += 1
    steps, samples, t0, c0 = 0, 0, time.perf_counter(), time.process_time()
    start = clock()
    while steps < min_steps or clock() - start < seconds:
        samples += run()
        steps += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"samplesPerSec": samples / wall, "cpuSamplesPerSec": samples / cpu, "steps": steps, "samples": samples, "seconds": wall, **extra}))
