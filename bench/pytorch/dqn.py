"""The DQN workloads of bench/workloads/rl-cartpole.ts and rl-mountaincar.ts in plain PyTorch: only a
measuring stick. Same env equations (gym's CartPoleEnv / MountainCarEnv, pure Python like ours is pure
JS), MLP 256x256, Huber loss, grad-norm clip 10, and each env's recipe (RECIPES: rl-zoo's hyperparameters).
Usage: python3 dqn.py env|update|learn [--env cartpole|mountaincar] --threads N --seconds S -> prints one
JSON line whose samplesPerSec is env steps/s (env, learn) or replay samples/s (update: batch per update)."""
import argparse, math, random
import torch
from measure import measure
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["env", "update", "learn"])
p.add_argument("--env", choices=["cartpole", "mountaincar"], default="cartpole")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
rng = random.Random(0)


class CartPole:
    """gym.envs.classic_control.CartPoleEnv (euler), 500-step truncation."""

    def reset(self):
        self.s = [rng.uniform(-0.05, 0.05) for _ in range(4)]
        self.t = 0
        return list(self.s)

    def step(self, action):
        x, x_dot, th, th_dot = self.s
        force = 10.0 if action == 1 else -10.0
        cos, sin = math.cos(th), math.sin(th)
        temp = (force + 0.05 * th_dot * th_dot * sin) / 1.1
        th_acc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos * cos / 1.1))
        x_acc = temp - 0.05 * th_acc * cos / 1.1
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * x_acc
        th, th_dot = th + 0.02 * th_dot, th_dot + 0.02 * th_acc
        self.s = [x, x_dot, th, th_dot]
        self.t += 1
        term = x < -2.4 or x > 2.4 or th < -0.20943951 or th > 0.20943951
        return list(self.s), 1.0, term, (not term) and self.t >= 500


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


RECIPES = {
    "cartpole": dict(env=CartPole, obs=4, actions=2, lr=2.3e-3, buffer=100_000, batch=64, gamma=0.99, target_every=10, eps=0.04, train_freq=256, gradient_steps=128),
    "mountaincar": dict(env=MountainCar, obs=2, actions=3, lr=4e-3, buffer=10_000, batch=128, gamma=0.98, target_every=600, eps=0.07, train_freq=16, gradient_steps=8),
}
R = RECIPES[a.env]


def mlp():
    return nn.Sequential(nn.Linear(R["obs"], 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, R["actions"]))


q, target = mlp(), mlp()
target.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=R["lr"])
N, B = R["buffer"], R["batch"]
obs_buf = torch.zeros(N, R["obs"])
next_buf = torch.zeros(N, R["obs"])
act_buf = torch.zeros(N, dtype=torch.long)
rew_buf = torch.zeros(N)
done_buf = torch.zeros(N)
size = 0
env = R["env"]()
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
    if t_steps % R["target_every"] == 0:
        target.load_state_dict(q.state_dict())


def update():
    idx = torch.randint(0, min(size, N), (B,))
    with torch.no_grad():
        y = rew_buf[idx] + R["gamma"] * (1 - done_buf[idx]) * target(next_buf[idx]).max(1).values
    qa = q(obs_buf[idx]).gather(1, act_buf[idx][:, None]).squeeze(1)
    loss = F.smooth_l1_loss(qa, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(q.parameters(), 10)
    opt.step()
    loss.item()


def act():
    if rng.random() < R["eps"]:
        return rng.randrange(R["actions"])
    with torch.no_grad():
        return int(q(torch.tensor(obs)[None]).argmax(1))


for _ in range(1000):  # learning_starts: random transitions
    env_step(rng.randrange(R["actions"]))


def step():
    if a.mode == "env":
        for _ in range(1000):
            o, r, term, trunc = env.step(rng.randrange(R["actions"]))
            if term or trunc:
                env.reset()
        return 1000
    if a.mode == "update":
        update()
        return B
    for _ in range(R["train_freq"]):
        env_step(act())
    for _ in range(R["gradient_steps"]):
        update()
    return R["train_freq"]


measure(step, a.seconds, threads=a.threads, torch=torch.__version__)
