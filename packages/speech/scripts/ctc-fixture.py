"""Reference CTC values from PyTorch for packages/speech/test/ctc.test.ts.

Run: /usr/bin/python3 packages/speech/scripts/ctc-fixture.py > packages/speech/test/fixtures/ctc-torch.json
Logits are drawn from a seeded generator and stored rounded, and torch recomputes from the
rounded values, so the test feeds exactly the numbers torch saw.
"""
import json

import torch

torch.manual_seed(0)
cases = []
# (T per item, K, labels per item, blank)
specs = [
    ([12, 9, 5, 6], 6, [[1, 2, 2, 3], [4], [], [5, 5, 5, 5]], 0),  # repeats; an empty label; an impossible one (4 repeats need 7 frames, 6 given)
    ([30, 30], 11, [[3, 1, 4, 1, 5], [9, 2, 6]], 0),
    ([8, 6], 5, [[0, 1, 0], [2, 2]], 4),  # blank is the last class
]
for lengths, k, labels, blank in specs:
    b, t = len(lengths), max(lengths)
    logits = torch.round(torch.randn(b, t, k) * 2 * 1e4) / 1e4
    logits = logits.double().requires_grad_(True)
    lp = logits.log_softmax(-1).transpose(0, 1)  # [T, B, K]
    targets = torch.tensor([x for l in labels for x in l], dtype=torch.long)
    tl = torch.tensor([len(l) for l in labels])
    il = torch.tensor(lengths)
    none = torch.nn.functional.ctc_loss(lp, targets, il, tl, blank=blank, reduction="none", zero_infinity=False)
    zero = torch.nn.functional.ctc_loss(lp, targets, il, tl, blank=blank, reduction="none", zero_infinity=True)
    mean = torch.nn.functional.ctc_loss(lp, targets, il, tl, blank=blank, reduction="mean", zero_infinity=True)
    (g,) = torch.autograd.grad(zero.sum(), logits)
    cases.append({
        "logits": logits.detach().tolist(),
        "labels": labels,
        "inputLengths": lengths,
        "blank": blank,
        "lossNone": [v if v != float("inf") else "Infinity" for v in none.tolist()],
        "lossZeroInfinity": zero.tolist(),
        "lossMeanZeroInfinity": mean.item(),
        "gradSumZeroInfinity": g.tolist(),
    })
print(json.dumps({"torch": torch.__version__, "cases": cases}))
