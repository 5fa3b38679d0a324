"""Encoders and projection heads, translated layer by layer from the workbench's tfjs models
(src/main/ssl/encoders/resnet.ts, src/main/ssl/heads/projection-head.ts).

ResNet: He et al. 2015, https://arxiv.org/abs/1512.03385. Widths, blocks and strides come from
config.json -> plan.encoder (already scaled by widthMultiplier). Convolutions use TensorFlow's
'same' padding exactly: when the total padding is odd the extra pixel goes at the end
(bottom/right), unlike PyTorch's symmetric padding=k//2. BatchNorm: eps 1e-5, PyTorch momentum =
1 - tfjs momentum. Convolutions: He-normal (truncated at 2 sigma, as tfjs); dense layers:
U(+-1/sqrt(fan_in)) kernels and zero biases (tfjs); BatchNorm gamma 1, beta 0.

NetworkMethod and OneNetworkMethod: what the methods on one Network share (methods.py,
bank_methods.py, pair_methods.py).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def same_padding(size, kernel, stride):
    """(before, after) padding of TensorFlow's 'same' for one axis."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """Conv2d without bias whose padding is TensorFlow's 'same' for the input it receives."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__(cin, cout, kernel, stride=stride, padding=0, bias=False)
        std = math.sqrt(2.0 / (cin * kernel * kernel))
        nn.init.trunc_normal_(self.weight, 0.0, std, -2 * std, 2 * std)

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top, bottom = same_padding(int(x.shape[-2]), k, s)
        left, right = same_padding(int(x.shape[-1]), k, s)
        if top or bottom or left or right:
            x = F.pad(x, (left, right, top, bottom))
        return super().forward(x)


class SameMaxPool(nn.Module):
    """3x3 stride-2 max-pool with 'same' padding (padded pixels never win)."""

    def forward(self, x):
        top, bottom = same_padding(int(x.shape[-2]), 3, 2)
        left, right = same_padding(int(x.shape[-1]), 3, 2)
        x = F.pad(x, (left, right, top, bottom), value=float("-inf"))
        return F.max_pool2d(x, 3, 2)


def batch_norm_2d(channels, momentum):
    return nn.BatchNorm2d(channels, eps=1e-5, momentum=momentum)


class BasicBlock(nn.Module):
    def __init__(self, cin, width, stride, momentum):
        super().__init__()
        self.conv1 = SameConv2d(cin, width, 3, stride)
        self.bn1 = batch_norm_2d(width, momentum)
        self.conv2 = SameConv2d(width, width, 3, 1)
        self.bn2 = batch_norm_2d(width, momentum)
        self.shortcut = None
        if stride != 1 or cin != width:
            self.shortcut = nn.Sequential(SameConv2d(cin, width, 1, stride), batch_norm_2d(width, momentum))
        self.out_channels = width

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride, momentum, expansion):
        super().__init__()
        out = width * expansion
        self.conv1 = SameConv2d(cin, width, 1, 1)
        self.bn1 = batch_norm_2d(width, momentum)
        self.conv2 = SameConv2d(width, width, 3, stride)
        self.bn2 = batch_norm_2d(width, momentum)
        self.conv3 = SameConv2d(width, out, 1, 1)
        self.bn3 = batch_norm_2d(out, momentum)
        self.shortcut = None
        if stride != 1 or cin != out:
            self.shortcut = nn.Sequential(SameConv2d(cin, out, 1, stride), batch_norm_2d(out, momentum))
        self.out_channels = out

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    """Images [B, C, H, W] in [0, 1] -> features [B, F] after global average pooling."""

    def __init__(self, plan, channels):
        super().__init__()
        momentum = plan["torchBatchNormMomentum"]
        stem = plan["stemWidth"]
        if plan["stem"] == "imagenet":
            self.stem = nn.Sequential(SameConv2d(channels, stem, 7, 2), batch_norm_2d(stem, momentum), nn.ReLU(), SameMaxPool())
        else:
            self.stem = nn.Sequential(SameConv2d(channels, stem, 3, 1), batch_norm_2d(stem, momentum), nn.ReLU())
        blocks = []
        cin = stem
        for stage, (width, count) in enumerate(zip(plan["widths"], plan["blocks"])):
            for i in range(count):
                stride = 2 if i == 0 and stage > 0 else 1
                if plan["block"] == "basic":
                    block = BasicBlock(cin, width, stride, momentum)
                else:
                    block = Bottleneck(cin, width, stride, momentum, plan["expansion"])
                blocks.append(block)
                cin = block.out_channels
        self.blocks = nn.Sequential(*blocks)
        self.feature_dim = cin
        if cin != plan["featureDim"]:
            raise ValueError(f"encoder: built {cin} features, config.json says {plan['featureDim']}")

    def forward(self, x):
        return self.blocks(self.stem(x)).mean(dim=(2, 3))


class ProjectionHead(nn.Sequential):
    """Blocks of Linear(units, bias) -> optional BatchNorm1d -> ReLU or nothing: [B, F] -> [B, D]."""

    def __init__(self, in_dim, blocks, momentum):
        layers = []
        for block in blocks:
            linear = nn.Linear(in_dim, block["units"], bias=block["bias"])
            bound = 1.0 / math.sqrt(in_dim)
            nn.init.uniform_(linear.weight, -bound, bound)
            if linear.bias is not None:
                nn.init.zeros_(linear.bias)
            layers.append(linear)
            if block["batchNorm"]:
                layers.append(nn.BatchNorm1d(block["units"], eps=1e-5, momentum=momentum))
            if block["activation"] == "relu":
                layers.append(nn.ReLU())
            in_dim = block["units"]
        super().__init__(*layers)
        self.out_dim = in_dim


class WeightNormLinear(nn.Module):
    """DINO's last layer with norm_last_layer=True (Caron et al. 2021, https://arxiv.org/abs/2104.14294):
    weight normalisation (Salimans & Kingma 2016) with the gain g fixed to 1 and no bias, so each
    output unit's weight row is weight_v[k] / ||weight_v[k]||: [B, D] -> [B, K]. The input is
    L2-normalised first (the reference DINOHead does it before its last layer), so every output is a
    cosine. weight_v is [K, D], as nn.utils.weight_norm names it; there is no weight_g, since g = 1 is
    not a parameter (and a module without weight_norm's hook deep-copies for the EMA teacher).
    Workbench: src/main/ssl/heads/weight-norm-linear.ts (its kernel_v is weight_v transposed)."""

    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.weight_v = nn.Parameter(torch.empty(out_dim, in_dim))
        bound = 1.0 / math.sqrt(in_dim)
        nn.init.uniform_(self.weight_v, -bound, bound)
        self.out_dim = out_dim

    def forward(self, x):
        return F.linear(F.normalize(x, dim=-1), self.weight_v / self.weight_v.norm(dim=1, keepdim=True))


class Network(nn.Module):
    """Encoder f + projection head g; forward returns g(f(x))."""

    def __init__(self, plan, channels):
        super().__init__()
        self.encoder = ResNet(plan["encoder"], channels)
        self.head = ProjectionHead(self.encoder.feature_dim, plan["head"], plan["encoder"]["torchBatchNormMomentum"])

    def forward(self, x):
        return self.head(self.encoder(x))


class NetworkMethod:
    """For a method whose trained Network is self.network: the encoder it exports, the parameters
    it trains."""

    @property
    def encoder(self):
        return self.network.encoder

    def parameters(self):
        return list(self.network.parameters())


class OneNetworkMethod(NetworkMethod):
    """A method that is one Network trained through its wrapped form (self.model) and has no other
    state: no device moves, nothing after backward or the step, the network as its state."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = Network(plan, channels)
        self.model = wrap(self.network)

    def to(self, device):
        return self

    def after_backward(self, step):
        pass

    def after_step(self):
        pass

    def state_dict(self):
        return {"network": self.network.state_dict()}
