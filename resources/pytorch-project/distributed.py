"""torch.distributed helpers that degrade to identities when the run has a single process."""
import os

import torch
import torch.distributed as dist


def is_distributed():
    return dist.is_available() and dist.is_initialized()


def world_size():
    return dist.get_world_size() if is_distributed() else 1


def rank():
    return dist.get_rank() if is_distributed() else 0


def setup(device):
    """Join the process group torchrun describes (RANK, WORLD_SIZE, MASTER_ADDR...): nccl on GPU, gloo on CPU."""
    if "RANK" not in os.environ or int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return
    dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")


def cleanup():
    if is_distributed():
        dist.barrier()
        dist.destroy_process_group()


class GatherWithGrad(torch.autograd.Function):
    """all_gather whose backward sums every rank's gradient and returns this rank's slice, so a loss
    over the gathered rows trains every rank's encoder (SimCLR's global negatives)."""

    @staticmethod
    def forward(ctx, x):
        parts = [torch.zeros_like(x) for _ in range(world_size())]
        dist.all_gather(parts, x.contiguous())
        return torch.cat(parts, 0)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous()
        dist.all_reduce(grad)
        n = grad.shape[0] // world_size()
        return grad[rank() * n : (rank() + 1) * n]


def gather_with_grad(x):
    """[n, D] on every rank -> [world*n, D], rank order, gradients flow back to each rank's rows."""
    return GatherWithGrad.apply(x) if world_size() > 1 else x


@torch.no_grad()
def gather(x):
    """[n, D] on every rank -> [world*n, D], rank order, no gradient (MoCo's keys)."""
    if world_size() == 1:
        return x
    parts = [torch.zeros_like(x) for _ in range(world_size())]
    dist.all_gather(parts, x.contiguous())
    return torch.cat(parts, 0)


@torch.no_grad()
def gather_rows(x, total):
    """Rows dealt round-robin (rank r holds rows r, r + world, ...) back into one [total, D] on every
    rank: all_gather of equal-length padded parts, then interleaved."""
    if world_size() == 1:
        return x
    w, per = world_size(), -(-total // world_size())
    padded = torch.zeros(per, *x.shape[1:], dtype=x.dtype, device=x.device)
    padded[: x.shape[0]] = x
    parts = [torch.zeros_like(padded) for _ in range(w)]
    dist.all_gather(parts, padded)
    return torch.stack(parts, 1).reshape(per * w, *x.shape[1:])[:total]


@torch.no_grad()
def broadcast_buffers(module):
    """Rank 0's buffers (BatchNorm running statistics) on every rank."""
    if world_size() > 1:
        for b in module.buffers():
            dist.broadcast(b, 0)


def all_reduce(x, op="sum"):
    if world_size() > 1:
        dist.all_reduce(x, op=dist.ReduceOp.MAX if op == "max" else dist.ReduceOp.SUM)
    return x
