"""Run under torchrun (gloo, 2 ranks) against a generated project: the distributed pieces equal their
single-device definitions over the global batch. Usage:

    python -m torch.distributed.run --nnodes=1 --rdzv_backend=c10d --rdzv_endpoint=127.0.0.1:PORT --nproc_per_node 2 pytorch-distributed-check.py <project>

Rank 0 prints one JSON object of the largest differences (float64, so they should be ~1e-15):
- bank: the memory bank after one gathered update, against the update written out row by row
  (a repeated index: its last occurrence wins), and whether every rank holds the same bank and drew
  the same negatives;
- nt_xent / triplet (random and semi-hard) / margin-contrastive: the loss averaged over ranks and
  the gradient averaged over ranks (what DistributedDataParallel does), against the loss and
  gradient of the whole batch in one process, computed here from the papers' formulas;
- negative cosine / Barlow Twins / VICReg the same way, and DINO's centre update against the mean
  over both ranks' teacher rows;
- SwAV's prototype assignments (workbench.prototype_assignments: every rank embeds its share with
  rank 0's BatchNorm statistics, rows gathered) against Algorithm 1 of the paper on all 7 images in
  one process, batches of 4; distributed.gather_rows against the rows it dealt out.
"""
import json
import random
import sys

import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1])

from bank_methods import MemoryBank  # noqa: E402
import workbench  # noqa: E402
from distributed import gather, gather_rows, rank, world_size  # noqa: E402
from losses import barlow_twins_loss, dino_center_update, negative_cosine_similarity, nt_xent, vicreg_loss  # noqa: E402
from pair_methods import MarginContrastive, Triplet  # noqa: E402

dist.init_process_group("gloo")
torch.set_default_dtype(torch.float64)
r, w = rank(), world_size()
big_n, dim = 8, 5
n = big_n // w
own = slice(r * n, (r + 1) * n)
g = torch.Generator().manual_seed(0)
x0, x1 = torch.randn(big_n, dim, generator=g), torch.randn(big_n, dim, generator=g)
weights = torch.randn(dim, dim, generator=g)
out = {}


def mean_over_ranks(t):
    t = t.detach().clone()
    dist.all_reduce(t)
    return t / w


def same_on_every_rank(t):
    parts = gather(t.unsqueeze(0))
    return bool(all(torch.equal(parts[0], p) for p in parts))


# --- memory bank ---------------------------------------------------------------------------------
bank = MemoryBank(16, dim, seed=3)
expected = bank.entries.clone()
indices = torch.tensor([3, 7, 1, 12, 0, 9, 3, 5])
features = torch.randn(big_n, dim, generator=g)
bank.stage(indices[own], features[own])
bank.commit(0.5)
last = {i: row for row, i in enumerate(indices.tolist())}  # a later row of the same index overwrites
for i, row in last.items():
    expected[i] = F.normalize(0.5 * expected[i] + 0.5 * F.normalize(features[row], dim=0), dim=0)
out["bank"] = float((bank.entries - expected).abs().max())
out["bankSameOnEveryRank"] = same_on_every_rank(bank.entries)
out["negativesSameOnEveryRank"] = same_on_every_rank(bank.negatives(6))


# --- losses over the global batch ----------------------------------------------------------------
def distributed(loss_of):
    """loss_of(z0, z1) on this rank's rows; returns (loss, grad) averaged over ranks like DDP."""
    weight = weights.clone().requires_grad_(True)
    loss = loss_of(x0[own] @ weight, x1[own] @ weight)
    loss.backward()
    return mean_over_ranks(loss), mean_over_ranks(weight.grad)


def single(loss_of):
    weight = weights.clone().requires_grad_(True)
    loss = loss_of(x0 @ weight, x1 @ weight)
    loss.backward()
    return loss.detach(), weight.grad


def compare(name, dist_loss_of, reference_loss_of):
    (dl, dg), (sl, sg) = distributed(dist_loss_of), single(reference_loss_of)
    out[name] = {"loss": float((dl - sl).abs()), "grad": float((dg - sg).abs().max()), "value": float(sl)}


def reference_nt_xent(z0, z1, t=0.5):
    z = F.normalize(torch.cat([z0, z1]), dim=1)
    logits = z @ z.t() / t - torch.eye(2 * big_n) * 1e9
    partners = torch.cat([torch.arange(big_n) + big_n, torch.arange(big_n)])
    return F.cross_entropy(logits, partners)


compare("ntXent", lambda z0, z1: nt_xent(z0, z1, 0.5), reference_nt_xent)


def pair_method(cls, **config):
    m = cls.__new__(cls)
    m.config = {"normalize": True, **config}
    m.model = lambda z: z
    m.random = random.Random(11)
    return m


def distance(a, b):
    return torch.sqrt(((a - b + 1e-6) ** 2).sum(1))


def semi_hard(z0, z1):
    """FaceNet's rule, one anchor at a time."""
    picks = []
    for i in range(big_n):
        d = ((z0[i] - z1) ** 2).sum(1)
        farther = [j for j in range(big_n) if j != i and d[j] > d[i]]
        others = [j for j in range(big_n) if j != i]
        picks.append(min(farther, key=lambda j: d[j]) if farther else max(others, key=lambda j: d[j]))
    return torch.tensor(picks)


shift = 1 + random.Random(11).randrange(big_n - 1)  # the shift the methods draw first
rolled = (torch.arange(big_n) + shift) % big_n
for mining in ["random", "semi-hard"]:
    method = pair_method(Triplet, margin=0.5, mining=mining)

    def reference(z0, z1, mining=mining):
        z0, z1 = F.normalize(z0, dim=1), F.normalize(z1, dim=1)
        negatives = z1[semi_hard(z0.detach(), z1.detach()) if mining == "semi-hard" else rolled]
        return F.relu(distance(z0, z1) - distance(z0, negatives) + 0.5).mean()

    compare(f"triplet-{mining}", lambda z0, z1, m=method: m.loss([z0, z1], None, 0), reference)

contrastive = pair_method(MarginContrastive, margin=1.0)


def reference_margin(z0, z1):
    z0, z1 = F.normalize(z0, dim=1), F.normalize(z1, dim=1)
    similar = 0.5 * distance(z0, z1) ** 2
    dissimilar = 0.5 * F.relu(1.0 - distance(z0, z1[rolled])) ** 2
    return torch.cat([similar, dissimilar]).mean()


compare("marginContrastive", lambda z0, z1: contrastive.loss([z0, z1], None, 0), reference_margin)


# --- non-contrastive losses ---------------------------------------------------------------------
def reference_barlow(a, b, lambd=0.3):
    def norm(z):
        m = z.mean(0)
        return (z - m) / torch.sqrt(((z - m) ** 2).mean(0) + 1e-5)

    c = norm(a).t() @ norm(b) / big_n
    on = sum((1 - c[i, i]) ** 2 for i in range(dim))
    off = sum(c[i, j] ** 2 for i in range(dim) for j in range(dim) if i != j)
    return on + lambd * off


def reference_vicreg(a, b):
    def std(z):
        return torch.sqrt(((z - z.mean(0)) ** 2).sum(0) / (big_n - 1) + 1e-4)

    def cov(z):
        zc = z - z.mean(0)
        c = zc.t() @ zc / (big_n - 1)
        return sum(c[i, j] ** 2 for i in range(dim) for j in range(dim) if i != j) / dim

    variance = F.relu(1 - std(a)).mean() / 2 + F.relu(1 - std(b)).mean() / 2
    return 25 * ((a - b) ** 2).mean() + 25 * variance + cov(a) + cov(b)


compare("negativeCosine", negative_cosine_similarity, lambda p, z: -F.cosine_similarity(p, z).mean())
compare("barlowTwins", lambda a, b: barlow_twins_loss(a, b, 0.3), reference_barlow)
compare("vicreg", lambda a, b: vicreg_loss(a, b, 25, 25, 1), reference_vicreg)
center = torch.arange(dim, dtype=torch.float64)
t0, t1 = x0 @ weights, x1 @ weights
got = dino_center_update(center, [t0[own], t1[own]], 0.9)
out["dinoCenter"] = float((got - (0.9 * center + 0.1 * torch.cat([t0, t1]).mean(0))).abs().max())

# --- SwAV assignments of every image, gathered -------------------------------------------------
rows7 = torch.randn(7, dim, generator=g)
out["gatherRows"] = float((gather_rows(rows7[r::w], 7) - rows7).abs().max())


class TinyNetwork(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.head = torch.nn.Linear(dim, dim)
        self.head.out_dim = dim
        self.bn = torch.nn.BatchNorm1d(dim)

    def forward(self, x):
        return self.bn(self.head(x))


class Images:
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return self.x.shape[0]

    def batch(self, positions):
        return self.x[positions]


class Swav:
    pass


swav = Swav()
swav.network = TinyNetwork()
with torch.no_grad():
    swav.network.head.weight.copy_(weights)
    swav.network.head.bias.zero_()  # parameters are the same on every rank (DDP), buffers are not
    # Rank 1's running statistics are wrong on purpose: the assignments use rank 0's.
    swav.network.bn.running_mean.copy_(torch.arange(dim, dtype=torch.float64) * 0.1 + 10 * r)
swav.prototypes = F.normalize(torch.randn(3, dim, generator=g), dim=1)
images7 = torch.randn(7, dim, generator=g)
got_p, got_h = workbench.prototype_assignments(swav, Images(images7), 0, "cpu", lambda x, size, device: x, 0.5, 3, batch=4)


def reference_sinkhorn(s, eps, iters):
    """Algorithm 1 of Caron et al. 2020, one process."""
    q = torch.exp(s / eps).t()
    q = q / q.sum()
    k, b = q.shape
    for _ in range(iters):
        q = q / q.sum(dim=1, keepdim=True) / k
        q = q / q.sum(dim=0, keepdim=True) / b
    return (q * b).t()


with torch.no_grad():
    swav.network.eval()
    swav.network.bn.running_mean.copy_(torch.arange(dim, dtype=torch.float64) * 0.1)
    z = F.normalize(swav.network(images7), dim=1)
want_p, want_h = [], []
for start in range(0, 7, 4):
    q = reference_sinkhorn(z[start : start + 4] @ swav.prototypes.t(), 0.5, 3)
    want_p += q.argmax(dim=1).tolist()
    want_h += (-(q * torch.log(q))).sum(dim=1).tolist()
out["assignments"] = {"same": got_p == want_p, "count": len(got_p), "entropy": max(abs(a - b) for a, b in zip(got_h, want_h)),
                      "distinct": len(set(want_p))}

if r == 0:
    print(json.dumps(out), flush=True)
dist.barrier()
dist.destroy_process_group()
