"""DINO's per-epoch schedules in the generated project, for pytorch-dino-schedules.test.ts. Usage:

    python3 pytorch-dino-schedules-check.py <project dir>  < {"temps": [[epoch, tau_t, warmup, W], ...],
                                                             "plan": {...}, "optimizers": [{...}, ...]}

Prints one JSON object:
- "temps": losses.dino_teacher_temp of each case, and "reference": the reference main_dino.py's
  schedule, concat(linspace(warmup, tau_t, W), ones(E - W) * tau_t)[epoch], computed with numpy;
- "runs": per optimiser, the Dino method trained as train.py does (loss -> zero_grad -> backward ->
  after_backward -> step -> after_step) for two steps of epoch 0, then one step of epoch 1: whether
  the last layer's weight_v moved (bit for bit) and whether the optimiser holds state for it after
  each phase, and how far the encoder's first kernel moved in epoch 0.
"""
import json
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])

from losses import dino_teacher_temp  # noqa: E402
from methods import create_method  # noqa: E402
from optim import create_optimizer  # noqa: E402

given = json.load(sys.stdin)


def reference_temp(epoch, teacher_temp, warmup, warmup_epochs):
    nepochs = max(epoch + 1, warmup_epochs)
    schedule = np.concatenate((np.linspace(warmup, teacher_temp, warmup_epochs), np.ones(nepochs - warmup_epochs) * teacher_temp))
    return float(schedule[epoch])


plan = given["plan"]
cfg = plan["method"]
size, n = plan["imageSize"], 4


def run(optimizer_config):
    torch.manual_seed(0)
    method = create_method(plan, 3, lambda m: m, 0, 8)
    optimizer = create_optimizer(optimizer_config, method.parameters())
    last = method.network.last_layer.weight_v
    kernel = next(p for name, p in method.network.encoder.named_parameters() if p.ndim == 4)
    start_last, start_kernel = last.detach().clone(), kernel.detach().clone()
    draws = torch.Generator().manual_seed(1)
    step = 0

    def train_step():
        nonlocal step
        views = [torch.rand(n, 3, size, size, generator=draws) for _ in range(cfg["largeCrops"])]
        loss = method.loss(views, torch.arange(n), step)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        method.after_backward(step)
        optimizer.step()
        method.after_step()
        step += 1

    method.begin_epoch(0)
    temp0 = method.teacher_temp()
    train_step()
    train_step()
    frozen = {
        "lastLayerMoved": not torch.equal(last.detach(), start_last),
        "lastLayerInOptimizerState": last in optimizer.state and len(optimizer.state[last]) > 0,
        "kernelChange": float((kernel.detach() - start_kernel).abs().max()),
        "teacherTemp": temp0,
    }
    method.begin_epoch(1)
    train_step()
    after = {
        "lastLayerChange": float((last.detach() - start_last).abs().max()),
        "lastLayerInOptimizerState": last in optimizer.state and len(optimizer.state[last]) > 0,
        "teacherTemp": method.teacher_temp(),
    }
    return {"optimizer": optimizer_config["name"], "epoch0": frozen, "epoch1": after}


print(json.dumps({
    "temps": [dino_teacher_temp(*case) for case in given["temps"]],
    "reference": [reference_temp(*case) for case in given["temps"]],
    "runs": [run(o) for o in given["optimizers"]],
}))
