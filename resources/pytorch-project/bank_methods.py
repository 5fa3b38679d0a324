"""The memory-bank methods, each the PyTorch form of its workbench class: InstDisc / NPID
(src/main/ssl/methods/memory-bank.ts) and PIRL (pirl.ts), over one MemoryBank (instance-bank.ts).

Distributed: the bank is indexed by dataset index, so every rank keeps the whole bank and the
same copy of it. After each step the (indices, features) of every rank are all-gathered in rank
order and every rank applies the same update; the K negatives of a step are drawn from a
generator seeded alike on every rank, so all ranks share them, as the single-device batch does.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from distributed import gather
from losses import info_nce
from models import Network, NetworkMethod


class MemoryBank:
    """[size, D] L2-normalised entries, random unit vectors at first; after a step the batch's rows
    move to their new features: v <- normalise(m v + (1 - m) normalise(f)); the last occurrence of a
    repeated index wins. Negatives: uniform with replacement."""

    def __init__(self, size, dim, seed):
        self.entries = F.normalize(torch.randn(size, dim, generator=torch.Generator().manual_seed(seed)), dim=1)
        self.sampler = torch.Generator().manual_seed(seed + 1)
        self.staged = None

    def to(self, device):
        self.entries = self.entries.to(device)
        return self

    def rows(self, indices):
        return self.entries[indices]

    def negatives(self, count):
        picks = torch.randint(self.entries.shape[0], (count,), generator=self.sampler)
        return self.entries[picks.to(self.entries.device)]

    def state_dict(self):
        return {"entries": self.entries, "sampler": self.sampler.get_state()}

    def load_state_dict(self, state):
        if isinstance(state, torch.Tensor):  # a checkpoint of an earlier project: the entries alone
            self.entries = state.to(self.entries.device)
            return
        self.entries = state["entries"].to(self.entries.device)
        self.sampler.set_state(state["sampler"])

    def stage(self, indices, features):
        self.staged = (indices, features.detach())

    @torch.no_grad()
    def commit(self, momentum):
        if self.staged is None:
            return
        indices, features = (gather(t) for t in self.staged)
        last = {int(i): r for r, i in enumerate(indices.tolist())}
        targets = torch.tensor(list(last.keys()), device=self.entries.device)
        fresh = F.normalize(features[torch.tensor(list(last.values()), device=features.device)], dim=1)
        self.entries[targets] = F.normalize(momentum * self.entries[targets] + (1 - momentum) * fresh, dim=1)
        self.staged = None


class BankMethod:
    """What memory-bank and PIRL share: the bank, its update after the optimiser step, state."""

    def __init__(self, plan, dataset_size, dim, seed):
        self.config = plan["method"]
        self.bank = MemoryBank(dataset_size, dim, seed)
        self.negative_count = min(self.config["negatives"], dataset_size)

    def to(self, device):
        self.bank.to(device)
        return self

    def after_backward(self, step):
        pass

    def after_step(self):
        self.bank.commit(self.config["bankMomentum"])


class MemoryBankMethod(BankMethod, NetworkMethod):
    """InstDisc / NPID (Wu et al. 2018, https://arxiv.org/abs/1805.01978), InfoNCE form: one view's
    projection against its image's bank row (positive) and K bank rows (negatives)."""

    def __init__(self, plan, channels, wrap, seed, dataset_size):
        self.network = Network(plan, channels)
        super().__init__(plan, dataset_size, self.network.head.out_dim, seed + 2)
        self.model = wrap(self.network)

    def loss(self, views, indices, step):
        q = self.model(views[0])
        self.bank.stage(indices, q)
        negatives = self.bank.negatives(self.negative_count)
        return info_nce(q, self.bank.rows(indices), negatives, self.config["temperature"])

    def state_dict(self):
        return {"network": self.network.state_dict(), "bank": self.bank.state_dict()}


def uniform_linear(fan_in, units):
    """Dense layer as tfjs builds the jigsaw head: U(+-1/sqrt(fan_in)) kernel (varianceScaling 1/3,
    fanIn, uniform), zero bias."""
    layer = nn.Linear(fan_in, units)
    bound = 1.0 / math.sqrt(fan_in)
    nn.init.uniform_(layer.weight, -bound, bound)
    nn.init.zeros_(layer.bias)
    return layer


class PirlModel(nn.Module):
    """Network f + projection head, and the jigsaw head g (src/main/ssl/heads/jigsaw-head.ts): each
    tile's encoder features -> shared Linear(tileUnits) -> concatenated in tile order -> Linear(D).
    Both branches in one forward call, so DistributedDataParallel sees one forward per step."""

    def __init__(self, plan, channels):
        super().__init__()
        grid, units = plan["method"]["jigsaw"]["grid"], plan["method"]["jigsaw"]["tileUnits"]
        self.tiles = grid * grid
        self.network = Network(plan, channels)
        self.jigsaw_tile = uniform_linear(self.network.encoder.feature_dim, units)
        self.jigsaw_out = uniform_linear(self.tiles * units, self.network.head.out_dim)

    def forward(self, image, tiles):
        z = self.network(image)
        per_tile = self.jigsaw_tile(self.network.encoder(tiles).view(image.shape[0], self.tiles, -1))
        return z, self.jigsaw_out(per_tile.flatten(1))


class Pirl(BankMethod):
    """PIRL (Misra & van der Maaten 2019, https://arxiv.org/abs/1912.01991, Eq. 5, InfoNCE form):
    L = lambda L(m_I, g(v_It)) + (1 - lambda) L(m_I, f(v_I)), both against the image's bank row and
    the same K sampled rows; the bank tracks f(v_I). BatchNorm sees the image views and the tiles in
    two separate passes, as in the workbench."""

    def __init__(self, plan, channels, wrap, seed, dataset_size):
        self.pirl = PirlModel(plan, channels)
        super().__init__(plan, dataset_size, self.pirl.network.head.out_dim, seed + 3)
        self.model = wrap(self.pirl)

    @property
    def encoder(self):
        return self.pirl.network.encoder

    def parameters(self):
        return list(self.pirl.parameters())

    def loss(self, views, indices, step):
        image, jigsaw = self.model(views[0], views[1])
        self.bank.stage(indices, image)
        positives, negatives = self.bank.rows(indices), self.bank.negatives(self.negative_count)
        t, lam = self.config["temperature"], self.config["lambda"]
        return lam * info_nce(jigsaw, positives, negatives, t) + (1 - lam) * info_nce(image, positives, negatives, t)

    def state_dict(self):
        return {"pirl": self.pirl.state_dict(), "bank": self.bank.state_dict()}
