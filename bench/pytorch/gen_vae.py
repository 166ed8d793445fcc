"""The generative workloads of bench/workloads/gen-vae.ts in PyTorch: only a measuring stick.
Usage: python3 gen_vae.py vae-train|vae-sample|dcgan-step --threads N --seconds S  → prints one JSON line."""
import argparse
import torch
from measure import measure
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["vae-train", "vae-sample", "dcgan-step"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


class VAE(nn.Module):  # 784-400-20, as the PyTorch examples' VAE
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 400), nn.Linear(400, 40)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def decode(self, z):
        return self.fc4(F.relu(self.fc3(z)))

    def forward(self, x):
        mu, logvar = self.fc2(F.relu(self.fc1(x))).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        return self.decode(z), mu, logvar


class G(nn.Module):  # resize-conv generator, G 32/16 channels (@dlkit/generative's default)
    def __init__(self):
        super().__init__()
        self.proj, self.bn0 = nn.Linear(64, 7 * 7 * 32, bias=False), nn.BatchNorm1d(7 * 7 * 32)
        self.up1, self.bn1 = nn.Conv2d(32, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        self.up2 = nn.Conv2d(16, 1, 3, 1, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.proj(z))).view(-1, 32, 7, 7)
        h = F.relu(self.bn1(self.up1(F.interpolate(h, scale_factor=2, mode="nearest"))))
        return torch.tanh(self.up2(F.interpolate(h, scale_factor=2, mode="nearest")))


SN = nn.utils.spectral_norm  # one power iteration per step, as the dlkit projection
D = lambda: nn.Sequential(SN(nn.Conv2d(1, 16, 4, 2, 1)), nn.LeakyReLU(0.2), SN(nn.Conv2d(16, 32, 4, 2, 1)), nn.LeakyReLU(0.2), nn.Flatten(), SN(nn.Linear(32 * 7 * 7, 1)))

if a.mode.startswith("vae"):
    vae = VAE()
    opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
    x = (torch.rand(100, 784) < 0.13).float()
    batch = 100

    def step():
        if a.mode == "vae-train":
            opt.zero_grad()
            logits, mu, logvar = vae(x)
            loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / 100 - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / 100
            loss.backward()
            opt.step()
            loss.item()
        else:
            with torch.no_grad():
                torch.sigmoid(vae.decode(torch.randn(100, 20)))
else:
    g, d = G(), D()
    og = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), lr=4e-4, betas=(0.5, 0.999))
    x = (torch.rand(64, 1, 28, 28) < 0.13).float() * 2 - 1
    batch = 64

    def step():
        od.zero_grad()
        fake = g(torch.randn(64, 64))
        ld = F.binary_cross_entropy_with_logits(d(x), torch.full((64, 1), 0.9)) + F.binary_cross_entropy_with_logits(d(fake.detach()), torch.zeros(64, 1))
        ld.backward()
        od.step()
        og.zero_grad()
        lg = F.binary_cross_entropy_with_logits(d(g(torch.randn(64, 64))), torch.ones(64, 1))
        lg.backward()
        og.step()
        ld.item(), lg.item()

measure(step, a.seconds, samples_per_step=batch, threads=a.threads, torch=torch.__version__)
