"""The pairwise-distance methods, each the PyTorch form of its workbench class: triplet
(src/main/ssl/methods/triplet.ts) and margin-contrastive (margin-contrastive.ts), both on
in-batch-pair-method.ts: one network, both views in one forward pass, optionally L2-normalised.

Distributed: the negatives come from the GLOBAL batch. Each rank gathers the second views of every
rank with gradient; anchor i (its global row) takes row (i + shift) mod N as its random negative,
the shift 1 ... N - 1 drawn per step from a generator seeded alike on every rank, or the semi-hard
positive of the global batch. Each rank averages over its own rows and DistributedDataParallel
averages over ranks, so the loss is the workbench's over 'batchSize' images.
"""
import random

import torch
import torch.nn.functional as F

from distributed import gather_with_grad, rank
from losses import margin_contrastive_loss, semi_hard_choice, triplet_loss
from models import OneNetworkMethod


class InBatchPair(OneNetworkMethod):
    def __init__(self, plan, channels, wrap, seed):
        super().__init__(plan, channels, wrap)
        self.random = random.Random(seed + 2)

    def state_dict(self):
        return {"network": self.network.state_dict(), "random": self.random.getstate()}

    def loss(self, views, indices, step):
        n = views[0].shape[0]
        z = self.model(torch.cat(views[:2]))
        if self.config["normalize"]:
            z = F.normalize(z, dim=1)
        z0, z1 = z[:n], z[n:]
        everyone = gather_with_grad(z1)
        big_n = everyone.shape[0]
        rows = torch.arange(n, device=z.device) + rank() * n
        shift = 1 + self.random.randrange(big_n - 1)
        return self.pair_loss(z0, z1, everyone, rows, (rows + shift) % big_n)


class Triplet(InBatchPair):
    """FaceNet triplets (Schroff et al. 2015, https://arxiv.org/abs/1503.03832): anchor = first view,
    positive = second view, negative = the second view of another image (random shift or semi-hard)."""

    def pair_loss(self, z0, z1, everyone, rows, shifted):
        chosen = semi_hard_choice(z0, everyone, rows) if self.config["mining"] == "semi-hard" else shifted
        return triplet_loss(z0, z1, everyone[chosen], self.config["margin"])


class MarginContrastive(InBatchPair):
    """Hadsell, Chopra & LeCun 2006: the two views of an image are a similar pair (y = 0), a first
    view and the second view of another image (random shift) a dissimilar pair (y = 1); 2n pairs."""

    def pair_loss(self, z0, z1, everyone, rows, shifted):
        n = z0.shape[0]
        y = torch.cat([torch.zeros(n, device=z0.device), torch.ones(n, device=z0.device)])
        return margin_contrastive_loss(torch.cat([z0, z0]), torch.cat([z1, everyone[shifted]]), y, self.config["margin"])
