"""The same MNIST CNN as bench/workloads/cnn-mnist.ts, in PyTorch: only a measuring stick.
Usage: python3 cnn_mnist.py train|infer --threads N --seconds S  → prints one JSON line."""
import argparse
import torch
from measure import measure
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

measure(step, a.seconds, samples_per_step=64, threads=a.threads, torch=torch.__version__)
