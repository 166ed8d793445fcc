"""The same MNIST CNN as bench/workloads/cnn-mnist.ts, in PyTorch: only a measuring stick.
Usage: python3 cnn_mnist.py train|infer --threads N --seconds S  → prints one JSON line."""
import argparse, json, os, time
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["train", "infer"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)

model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))

def step():
    if a.mode == "train":
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
    else:
        with torch.no_grad():
            model(x)

# DLKIT_BENCH_CLOCK=cpu (pnpm bench --clock cpu): run for S seconds of CPU time, also report samples per CPU-second.
clock = time.process_time if os.environ.get("DLKIT_BENCH_CLOCK") == "cpu" else time.perf_counter
# Warm-up, the same rule as bench/run.ts: 3 steps and 1 second of the measuring clock (at least one
# step, at most the measuring window).
w0, k = clock(), 0
while k < 1 or ((k < 3 or clock() - w0 < 1.0) and clock() - w0 < a.seconds):
    step()
    k += 1
n, t0, c0 = 0, time.perf_counter(), time.process_time()
start = clock()
while clock() - start < a.seconds:
    step()
    n += 1
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({"samplesPerSec": n * 64 / dt, "cpuSamplesPerSec": n * 64 / cpu, "steps": n, "seconds": dt, "threads": a.threads, "torch": torch.__version__}))
