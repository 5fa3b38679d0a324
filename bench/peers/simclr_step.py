"""PyTorch peer of `cwb bench train --method simclr`: the same SimCLR training step, written for the
Contrastive Workbench benchmark (bench/run.ts runs it in the same invocation as the tfjs numbers).

Mirrors src/main/ssl/encoders/resnet.ts and resources/presets/methods/simclr.json:
- encoder 'small' = CIFAR stem (3x3 conv stride 1, no max-pool), basic blocks, widths [16,32,64],
  blocks [1,1,1]; 'resnet18-cifar' = widths [64,128,256,512], blocks [2,2,2,2]. Convs without bias,
  BatchNorm eps 1e-5 momentum 0.1, 1x1 conv + BN projection shortcut when shape changes, global
  average pool.
- head: Linear(F,512, no bias) + BN + ReLU, Linear(512,128, bias).
- loss: NT-Xent over the 2N views in ONE forward pass (BatchNorm sees both views), temperature 0.5.
- optimizer: Adam lr 1e-3, no weight decay (as src/main/engine/bench-train.ts).

Timed: forward + backward + optimizer step on 2N pre-made views (channels-last data converted once
to NCHW). Augmentation is NOT included here (tfjs's bench includes it; bench/run.ts reports
augmentation throughput separately so the share is visible).

Prints one JSON object on stdout.
Usage: /usr/bin/python3 bench/peers/simclr_step.py --encoder small --batch-size 64 --image-size 32
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECS = {
    "small": ([16, 32, 64], [1, 1, 1]),
    "resnet18-cifar": ([64, 128, 256, 512], [2, 2, 2, 2]),
}


def conv_bn(cin, cout, k, stride):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False),
        nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1),
    )


class Basic(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        self.a = conv_bn(cin, width, 3, stride)
        self.b = conv_bn(width, width, 3, 1)
        self.short = None if (stride == 1 and cin == width) else conv_bn(cin, width, 1, stride)

    def forward(self, x):
        y = self.b(F.relu(self.a(x)))
        return F.relu(y + (x if self.short is None else self.short(x)))


class Encoder(nn.Module):
    def __init__(self, widths, blocks, channels):
        super().__init__()
        self.stem = conv_bn(channels, widths[0], 3, 1)
        layers, cin = [], widths[0]
        for stage, (w, n) in enumerate(zip(widths, blocks)):
            for i in range(n):
                layers.append(Basic(cin, w, 2 if (i == 0 and stage > 0) else 1))
                cin = w
        self.body = nn.Sequential(*layers)
        self.out_dim = cin

    def forward(self, x):
        return self.body(F.relu(self.stem(x))).mean(dim=(2, 3))


def nt_xent(z, n, temperature):
    z = F.normalize(z, dim=1)
    logits = z @ z.t() / temperature
    logits = logits - torch.eye(2 * n, device=z.device) * 1e9
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(logits, targets)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--encoder", default="small", choices=sorted(SPECS))
    p.add_argument("--batch-size", type=int, default=64, help="images per step (2N views)")
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--temperature", type=float, default=0.5)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="cuda: bench/gpu/pytorch_engine.py")
    a = p.parse_args()
    device = torch.device(a.device)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    widths, blocks = SPECS[a.encoder]
    enc = Encoder(widths, blocks, a.channels)
    head = nn.Sequential(
        nn.Linear(enc.out_dim, 512, bias=False), nn.BatchNorm1d(512, eps=1e-5, momentum=0.1),
        nn.ReLU(), nn.Linear(512, 128, bias=True),
    )
    model = nn.Sequential(enc, head).to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=0)
    n = a.batch_size
    views = torch.rand(2 * n, a.image_size, a.image_size, a.channels).permute(0, 3, 1, 2).contiguous().to(device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nt_xent(model(views), n, a.temperature)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
        "device": a.device, "method": "simclr", "encoder": a.encoder, "batchSize": n, "imageSize": a.image_size,
        "viewsPerStep": 2 * n, "secondsPerStep": seconds / a.steps,
        "imagesPerSecond": 2 * n * a.steps / seconds,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
