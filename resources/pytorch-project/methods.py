"""The SSL methods, each the PyTorch form of its workbench class (src/main/ssl/methods/*.ts):
'loss(views, indices, step)' (indices: the images' rows in the training list) with BatchNorm in training mode, 'after_backward(step)' and 'after_step()' for
state updates, 'encoder' for export. 'wrap' turns a module into its DistributedDataParallel form.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

from bank_methods import MemoryBankMethod, Pirl
from distributed import gather, world_size
from losses import info_nce, nt_xent, sinkhorn, swapped_prediction
from models import Network, OneNetworkMethod
from noncontrastive_methods import create_noncontrastive
from pair_methods import MarginContrastive, Triplet


class Simclr(OneNetworkMethod):
    """SimCLR (Chen et al. 2020, https://arxiv.org/abs/2002.05709): both views in one forward pass
    (BatchNorm sees the 2n views together), NT-Xent against the global batch."""

    def loss(self, views, indices, step):
        n = views[0].shape[0]
        z = self.model(torch.cat(views[:2]))
        return nt_xent(z[:n], z[n:], self.config["temperature"])


class Moco:
    """MoCo v1/v2 (He et al. 2019, https://arxiv.org/abs/1911.05722; Chen et al. 2020,
    https://arxiv.org/abs/2003.04297). Queries from the trained network, keys from its EMA copy
    (training-mode BatchNorm on each rank's own keys, no shuffle-BN — as the workbench); the FIFO
    queue of K keys enqueues the keys of ALL ranks each step, so every rank holds the same queue."""

    def __init__(self, plan, channels, wrap, seed):
        self.config = plan["method"]
        self.query = Network(plan, channels)
        self.key = copy.deepcopy(self.query)
        for p in self.key.parameters():
            p.requires_grad_(False)
        self.model = wrap(self.query)
        generator = torch.Generator().manual_seed(seed + 2)
        dim = self.query.head.out_dim
        self.queue = F.normalize(torch.randn(self.config["queueSize"], dim, generator=generator), dim=1)
        self.pending = None

    @property
    def encoder(self):
        return self.query.encoder

    def parameters(self):
        return list(self.query.parameters())

    def to(self, device):
        self.key.to(device)
        self.queue = self.queue.to(device)
        return self

    def loss(self, views, indices, step):
        q = self.model(views[0])
        with torch.no_grad():
            k = F.normalize(self.key(views[1]), dim=1)
        self.pending = k
        return info_nce(q, k, self.queue, self.config["temperature"])

    def after_backward(self, step):
        pass

    @torch.no_grad()
    def after_step(self):
        m = self.config["momentum"]
        for pk, pq in zip(self.key.parameters(), self.query.parameters()):
            pk.mul_(m).add_(pq.detach(), alpha=1 - m)
        keys = gather(self.pending)
        size, b = self.queue.shape[0], keys.shape[0]
        self.queue = keys[b - size :].clone() if b >= size else torch.cat([self.queue[b:], keys])
        self.pending = None

    def state_dict(self):
        return {"query": self.query.state_dict(), "key": self.key.state_dict(), "queue": self.queue}


class SwavModel(nn.Module):
    """Network + prototypes C [P, D] (rows on the unit sphere). One forward per resolution inside a
    single call, so DistributedDataParallel sees one forward per step."""

    def __init__(self, plan, channels, seed):
        super().__init__()
        self.network = Network(plan, channels)
        generator = torch.Generator().manual_seed(seed + 2)
        init = torch.randn(plan["method"]["prototypes"], self.network.head.out_dim, generator=generator)
        self.prototypes = nn.Parameter(F.normalize(init, dim=1))

    def forward(self, groups):
        z = [F.normalize(self.network(g), dim=1) for g in groups]
        return z, [zi @ self.prototypes.t() for zi in z]


class Swav:
    """SwAV (Caron et al. 2020, https://arxiv.org/abs/2006.09882): codes of the large crops by a
    distributed Sinkhorn (sums all-reduced over ranks), swapped prediction from every other crop.
    The optional feature queue is split over ranks (queueSize / world rows each), so Sinkhorn sees
    queueSize queued rows in total, as in the paper's distributed code. Prototypes get zero gradient
    for freezePrototypesSteps steps and are renormalised after every step."""

    def __init__(self, plan, channels, wrap, seed):
        self.config = plan["method"]
        self.swav = SwavModel(plan, channels, seed)
        self.model = wrap(self.swav)
        self.large = self.config["largeCrops"]
        size = self.config["queueSize"]
        if size % world_size():
            raise SystemExit(f"methodOverrides.queueSize: {size} is not divisible by the {world_size()} ranks")
        self.queue_size = size // world_size()
        dim = self.swav.network.head.out_dim
        self.queues = [torch.zeros(self.queue_size, dim) for _ in range(self.large)] if size > 0 else []
        self.queued = 0
        self.pending = []

    @property
    def encoder(self):
        return self.swav.network.encoder

    def parameters(self):
        return list(self.swav.parameters())

    def to(self, device):
        self.queues = [q.to(device) for q in self.queues]
        return self

    def loss(self, views, indices, step):
        n = views[0].shape[0]
        groups = [views[: self.large], views[self.large :]]
        groups = [g for g in groups if g]
        z_groups, s_groups = self.model([torch.cat(g) for g in groups])
        z = [zg[i * n : (i + 1) * n] for zg, g in zip(z_groups, groups) for i in range(len(g))]
        scores = [sg[i * n : (i + 1) * n] for sg, g in zip(s_groups, groups) for i in range(len(g))]
        eps, iters = self.config["sinkhornEpsilon"], self.config["sinkhornIterations"]
        use_queue = bool(self.queues) and self.queued >= self.queue_size
        codes = []
        with torch.no_grad():
            for i in range(self.large):
                s = scores[i].detach()
                if use_queue:
                    s = torch.cat([self.queues[i] @ self.swav.prototypes.detach().t(), s])
                codes.append(sinkhorn(s, eps, iters)[-n:])
        if self.queues:
            self.pending = [zi.detach() for zi in z[: self.large]]
        return swapped_prediction(codes, scores, self.config["temperature"])

    def after_backward(self, step):
        # Zero (not None): the optimiser still applies weight decay to frozen prototypes, as the workbench.
        if step < self.config["freezePrototypesSteps"] and self.swav.prototypes.grad is not None:
            self.swav.prototypes.grad.zero_()

    @torch.no_grad()
    def after_step(self):
        self.swav.prototypes.copy_(F.normalize(self.swav.prototypes, dim=1))
        if self.pending:
            self.queues = [torch.cat([fresh, q])[: self.queue_size] for fresh, q in zip(self.pending, self.queues)]
            self.queued = min(self.queue_size, self.queued + self.pending[0].shape[0])
            self.pending = []

    def state_dict(self):
        return {"swav": self.swav.state_dict(), "queues": self.queues, "queued": self.queued}


def create_method(plan, channels, wrap, seed, dataset_size):
    name = plan["method"]["method"]
    if name == "simclr":
        return Simclr(plan, channels, wrap)
    if name == "moco":
        return Moco(plan, channels, wrap, seed)
    if name == "swav":
        return Swav(plan, channels, wrap, seed)
    if name == "memory-bank":
        return MemoryBankMethod(plan, channels, wrap, seed, dataset_size)
    if name == "pirl":
        return Pirl(plan, channels, wrap, seed, dataset_size)
    if name == "triplet":
        return Triplet(plan, channels, wrap, seed)
    if name == "margin-contrastive":
        return MarginContrastive(plan, channels, wrap, seed)
    method = create_noncontrastive(plan, channels, wrap)
    if method is not None:
        return method
    raise SystemExit(f"method: {name!r} is not translated to PyTorch (config.json was not written by this workbench?)")
