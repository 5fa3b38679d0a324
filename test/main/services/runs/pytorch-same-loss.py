"""Loss of one batch of views under the generated project's PyTorch method, its state set from the
tfjs method's (pytorch-same-loss.test.ts). Usage:

    python3 pytorch-same-loss.py <project dir> <plan.json> <tensors.safetensors>

tensors.safetensors holds view0 ... view{k-1} (NCHW) and the method's tensors keyed by their path
from the method object (src/main/export/pytorch/method-weights.ts). plan.json carries "check":
{"views": k, "datasetSize": N, "shift": s (pair methods: tfjs's random negative shift),
"picks": [...] (bank methods: the bank rows tfjs drew as negatives), "epoch": e (the epoch the tfjs
method was told; methods with epoch-based schedules, DINO, are told it too)}. Prints {"loss": ...}.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import torch  # noqa: E402

import workbench  # noqa: E402
from methods import create_method  # noqa: E402


class FixedShift:
    """random.Random stand-in: the in-batch negative shift tfjs drew (shift = 1 + randrange(N - 1))."""

    def __init__(self, shift):
        self.shift = shift

    def randrange(self, n):
        assert 0 <= self.shift - 1 < n
        return self.shift - 1


with open(sys.argv[2], encoding="utf-8") as f:
    plan = json.load(f)
check = plan.pop("check")
tensors = workbench.read_safetensors(sys.argv[3])
views = [tensors.pop(f"view{i}") for i in range(check["views"])]
method = create_method(plan, views[0].shape[1], lambda m: m, 0, check["datasetSize"])
workbench.assign_method_tensors(method, tensors)
if "shift" in check:
    method.random = FixedShift(check["shift"])
if "picks" in check:
    picks = torch.tensor(check["picks"])
    method.bank.negatives = lambda count: method.bank.entries[picks[:count]]
if hasattr(method, "begin_epoch"):
    method.begin_epoch(check.get("epoch", 0))
loss = method.loss(views, torch.arange(views[0].shape[0]), 0)
print(json.dumps({"loss": float(loss)}))
