"""The MountainCar DQN of bench/workloads/rl-mountaincar.ts in plain PyTorch: only a measuring stick.
Same env equations (gym's MountainCarEnv, pure Python like ours is pure JS), rl-zoo's recipe: MLP
256x256, batch 128, Adam lr 4e-3, Huber loss, grad-norm clip 10, gamma 0.98, buffer 10k,
train_freq 16 / gradient_steps 8, target update every 600 steps.
Usage: python3 dqn_mountaincar.py update|learn --threads N --seconds S  -> prints one JSON line
whose samplesPerSec is env steps/s (learn) or replay samples/s (update: 128 per update)."""
import argparse, json, math, random, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["update", "learn"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
rng = random.Random(0)


class MountainCar:
    """gym.envs.classic_control.MountainCarEnv, 200-step truncation."""

    def reset(self):
        self.s = [rng.uniform(-0.6, -0.4), 0.0]
        self.t = 0
        return list(self.s)

    def step(self, action):
        pos, vel = self.s
        vel += (action - 1) * 0.001 + math.cos(3 * pos) * -0.0025
        vel = min(max(vel, -0.07), 0.07)
        pos += vel
        pos = min(max(pos, -1.2), 0.6)
        if pos == -1.2 and vel < 0:
            vel = 0.0
        self.s = [pos, vel]
        self.t += 1
        term = pos >= 0.5 and vel >= 0
        return list(self.s), -1.0, term, (not term) and self.t >= 200


def mlp():
    return nn.Sequential(nn.Linear(2, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))


q, target = mlp(), mlp()
target.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=4e-3)
N, B = 10_000, 128
obs_buf = torch.zeros(N, 2)
next_buf = torch.zeros(N, 2)
act_buf = torch.zeros(N, dtype=torch.long)
rew_buf = torch.zeros(N)
done_buf = torch.zeros(N)
size = 0
env = MountainCar()
obs = env.reset()
t_steps = 0


def env_step(action):
    global obs, size, t_steps
    nxt, r, term, trunc = env.step(action)
    i = size % N
    obs_buf[i] = torch.tensor(obs)
    next_buf[i] = torch.tensor(nxt)
    act_buf[i], rew_buf[i], done_buf[i] = action, r, float(term)
    size += 1
    t_steps += 1
    obs = env.reset() if term or trunc else nxt
    if t_steps % 600 == 0:
        target.load_state_dict(q.state_dict())


def update():
    idx = torch.randint(0, min(size, N), (B,))
    with torch.no_grad():
        y = rew_buf[idx] + 0.98 * (1 - done_buf[idx]) * target(next_buf[idx]).max(1).values
    qa = q(obs_buf[idx]).gather(1, act_buf[idx][:, None]).squeeze(1)
    loss = F.smooth_l1_loss(qa, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q.parameters(), 10)
    opt.step()
    loss.item()


def act(eps=0.07):
    if rng.random() < eps:
        return rng.randrange(3)
    with torch.no_grad():
        return int(q(torch.tensor(obs)[None]).argmax(1))


for _ in range(1000):  # learning_starts: random transitions
    env_step(rng.randrange(3))


def step():
    if a.mode == "update":
        update()
        return B
    for _ in range(16):
        env_step(act())
    for _ in range(8):
        update()
    return 16


step()
n, t0 = 0, time.perf_counter()
while n == 0 or time.perf_counter() - t0 < a.seconds:
    n += step()
dt = time.perf_counter() - t0
print(json.dumps({"samplesPerSec": n / dt, "samples": n, "seconds": dt, "threads": a.threads, "torch": torch.__version__}))
