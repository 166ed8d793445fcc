"""The same full-batch biased-MF / SVD++ step as bench/workloads/rec-mf.ts, in PyTorch (autograd):
only a measuring stick. Usage: python3 mf_fullbatch.py mf|svdpp --threads N --seconds S → one JSON line."""
import argparse
import torch
from measure import measure

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["mf", "svdpp"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
USERS, ITEMS, RATINGS, K = 943, 1682, 80_000, 64

cells = torch.randperm(USERS * ITEMS)[:RATINGS]
mask = torch.zeros(USERS * ITEMS)
mask[cells] = 1
mask = mask.view(USERS, ITEMS)
resid = torch.randn(USERS, ITEMS) * mask
cu, ci = mask.sum(1, keepdim=True), mask.sum(0).unsqueeze(1)
N = mask / cu.clamp(min=1).sqrt()
P = (torch.randn(USERS, K) * 0.1).requires_grad_()
Q = (torch.randn(ITEMS, K) * 0.1).requires_grad_()
bu = torch.zeros(USERS, 1, requires_grad=True)
bi = torch.zeros(1, ITEMS, requires_grad=True)
Y = torch.zeros(ITEMS, K, requires_grad=True)
params = [P, Q, bu, bi] + ([Y] if a.mode == "svdpp" else [])
opt = torch.optim.Adam(params, lr=0.05)

def step():
    opt.zero_grad()
    pu = P + N @ Y if a.mode == "svdpp" else P
    e = (pu @ Q.T + bu + bi) * mask - resid
    reg = 0.1 * ((P**2 * cu).sum() + (Q**2 * ci).sum()) + 0.01 * ((bu**2 * cu).sum() + (bi**2 * ci.T).sum())
    if a.mode == "svdpp":
        reg = reg + (Y**2 * ci).sum()
    loss = ((e**2).sum() + reg) / RATINGS
    loss.backward()
    opt.step()
    loss.item()

measure(step, a.seconds, samples_per_step=RATINGS, threads=a.threads, torch=torch.__version__)
