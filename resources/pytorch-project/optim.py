"""Optimisers and learning-rate schedules of the workbench (src/main/ssl/optimizers.ts,
src/main/ssl/schedules/learning-rate.ts). Weight decay applies to weights of rank > 1 only (no
biases or BatchNorm parameters), for every optimiser:
- sgd / adam: coupled L2, g <- g + lambda w (torch.optim.SGD / Adam with two parameter groups);
- adamw: decoupled, w <- w (1 - lr lambda) before the Adam step (torch.optim.AdamW);
- lars: You et al. 2017 (https://arxiv.org/abs/1708.03888) as in SimCLR, below.
Adam's epsilon is 1e-7 (tfjs's default; PyTorch's is 1e-8).
"""
import math

import torch


class Lars(torch.optim.Optimizer):
    """g <- trust (g + lambda w) with trust = eta ||w|| / (||g|| + lambda ||w||) (1 when either norm
    is 0) for weights of rank > 1; then SGD with momentum. Other parameters: plain SGD momentum."""

    def __init__(self, params, lr, momentum, weight_decay, trust_coefficient):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, trust=trust_coefficient))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                if p.ndim > 1:
                    wd = group["weight_decay"]
                    decayed = g + wd * p if wd > 0 else g
                    w_norm, g_norm = torch.norm(p), torch.norm(g)
                    ratio = group["trust"] * w_norm / (g_norm + wd * w_norm + 1e-12)
                    trust = torch.where((w_norm > 0) & (g_norm > 0), ratio, torch.ones_like(ratio))
                    g = decayed * trust
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = torch.clone(g).detach()
                else:
                    buf.mul_(group["momentum"]).add_(g)
                p.add_(buf, alpha=-group["lr"])


def create_optimizer(config, parameters):
    decay = [p for p in parameters if p.ndim > 1]
    rest = [p for p in parameters if p.ndim <= 1]
    name, lr, wd = config["name"], config["learningRate"], config["weightDecay"]
    if name == "lars":
        return Lars([{"params": decay}, {"params": rest}], lr, config["momentum"], wd, config["trustCoefficient"])
    groups = [{"params": decay, "weight_decay": wd}, {"params": rest, "weight_decay": 0.0}]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=config["momentum"])
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr, eps=1e-7)
    if name == "adamw":
        return torch.optim.AdamW(groups, lr=lr, eps=1e-7)
    raise SystemExit(f"optimizer.name: {name!r} is not translated")


def learning_rate_at(schedule, base, epoch, total_epochs):
    """'epoch' is the fractional epoch of the step about to run."""
    kind = schedule["kind"]
    if kind == "constant":
        return base
    if kind == "step":
        return base * schedule["gamma"] ** sum(1 for m in schedule["milestones"] if epoch >= m)
    warmup = min(schedule["warmupEpochs"], total_epochs)
    if epoch < warmup:
        return base * max(epoch / warmup, 1e-3)
    span = max(total_epochs - warmup, 2.220446049250313e-16)
    t = min(1.0, max(0.0, (epoch - warmup) / span))
    f = schedule["minLearningRateFraction"]
    return base * (f + (1 - f) * 0.5 * (1 + math.cos(math.pi * t)))
