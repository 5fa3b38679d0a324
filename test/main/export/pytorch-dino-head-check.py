"""DINO's weight-normalised last layer of the generated project (models.WeightNormLinear) on given
numbers, for pytorch-dino-head.test.ts to compare with the workbench's tfjs layer. Usage:

    python3 pytorch-dino-head-check.py <project dir>  < {"x": [[...]], "v": [[...]] (D x K), "w": [[...]]}

Prints one JSON object: y = layer(x), the gradients of sum(y * w) with respect to x and to v (as
[D, K], the tfjs layout), the layer's parameter names and shapes, and the largest difference
between the layer and its EMA copy after one momentum update (deep-copy and EMA work).
"""
import copy
import json
import sys

import torch

sys.path.insert(0, sys.argv[1])

from models import WeightNormLinear  # noqa: E402
from noncontrastive_methods import EmaTarget  # noqa: E402

torch.set_default_dtype(torch.float64)
given = json.load(sys.stdin)
x = torch.tensor(given["x"], requires_grad=True)
v = torch.tensor(given["v"])
w = torch.tensor(given["w"])
layer = WeightNormLinear(v.shape[0], v.shape[1])
with torch.no_grad():
    layer.weight_v.copy_(v.t())
y = layer(x)
(y * w).sum().backward()

target = EmaTarget(layer)
with torch.no_grad():
    layer.weight_v.mul_(2.0)
target.update(0.5)
ema = float((target.network.weight_v - 0.5 * (v.t() + 2.0 * v.t())).abs().max())

print(json.dumps({
    "y": y.detach().tolist(),
    "dx": x.grad.tolist(),
    "dv": layer.weight_v.grad.t().tolist(),
    "parameters": {name: list(p.shape) for name, p in layer.named_parameters()},
    "trainable": all(p.requires_grad for p in layer.parameters()),
    "copyIsSeparate": target.network.weight_v.data_ptr() != layer.weight_v.data_ptr(),
    "ema": ema,
}))
