"""The text workloads of bench/workloads/text-classifiers.ts in PyTorch: only a measuring stick.
Same shapes as @dlkit/text's buildTextModel at the bench's settings: sequence 200, batch 64,
vocabulary 20,000, 2 classes, Adam 1e-3, cross-entropy; random ids in [1, 20000) (no padding).
Usage: python3 text_classifiers.py ARCH train|infer --threads N --seconds S  → prints one JSON line:
samplesPerSec (wall clock) and cpuSamplesPerSec (per second of this process's CPU time, robust on a
loaded machine). DLKIT_BENCH_CLOCK=cpu (pnpm bench --clock cpu) makes S seconds of CPU time."""
import argparse, math
import torch
from measure import measure
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("arch", choices=["fasttext", "cnn", "bilstm", "transformer"])
p.add_argument("mode", choices=["train", "infer"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seconds", type=float, default=5.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
BATCH, LENGTH, VOCAB = 64, 200, 20_000


class FastText(nn.Module):  # masked mean of 32-d embeddings → dense
    def __init__(self):
        super().__init__()
        self.emb, self.out = nn.Embedding(VOCAB, 32), nn.Linear(32, 2)

    def forward(self, ids):
        mask = (ids != 0).float().unsqueeze(-1)
        return self.out((self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1))


class KimCnn(nn.Module):  # 64-d embeddings, 100 filters × widths 3/4/5 ('same'), max over time
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 64)
        self.convs = nn.ModuleList([nn.Conv1d(64, 100, k, padding="same") for k in (3, 4, 5)])
        self.drop, self.out = nn.Dropout(0.5), nn.Linear(300, 2)

    def forward(self, ids):
        e = self.emb(ids).transpose(1, 2)
        return self.out(self.drop(torch.cat([F.relu(c(e)).amax(2) for c in self.convs], 1)))


class BiLstm(nn.Module):  # 64-d embeddings, LSTM 64 units per direction, final states concatenated
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True, bidirectional=True)
        self.drop, self.out = nn.Dropout(0.5), nn.Linear(128, 2)

    def forward(self, ids):
        _, (h, _) = self.lstm(self.emb(ids))
        return self.out(self.drop(torch.cat([h[0], h[1]], 1)))


class Block(nn.Module):  # pre-LayerNorm encoder block, 4 heads, feed-forward 4·d
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d, eps=1e-6), nn.LayerNorm(d, eps=1e-6)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, pad):
        a = self.ln1(x)
        x = x + self.drop(self.attn(a, a, a, key_padding_mask=pad, need_weights=False)[0])
        return x + self.drop(self.ff(self.ln2(x)))


class Transformer(nn.Module):  # token + learned position embeddings, 2 blocks, final LN, [CLS] pooling
    def __init__(self, d=64):
        super().__init__()
        self.emb, self.pos = nn.Embedding(VOCAB, d), nn.Parameter(torch.randn(256, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d), Block(d)])
        self.ln, self.out = nn.LayerNorm(d, eps=1e-6), nn.Linear(d, 2)

    def forward(self, ids):
        pad = ids == 0
        x = self.emb(ids) + self.pos[: ids.shape[1]]
        for b in self.blocks:
            x = b(x, pad)
        return self.out(self.ln(x)[:, 0])


model = {"fasttext": FastText, "cnn": KimCnn, "bilstm": BiLstm, "transformer": Transformer}[a.arch]()
ids = torch.randint(1, VOCAB, (BATCH, LENGTH))
ys = torch.randint(0, 2, (BATCH,))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def step():
    if a.mode == "train":
        model.train()
        opt.zero_grad()
        loss = F.cross_entropy(model(ids), ys)
        loss.backward()
        opt.step()
        loss.item()
    else:
        model.eval()
        with torch.no_grad():
            F.softmax(model(ids), 1).sum().item()


measure(step, a.seconds, samples_per_step=BATCH, min_steps=2)
