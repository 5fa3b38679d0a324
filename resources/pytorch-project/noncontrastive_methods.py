"""The non-contrastive methods and the generative baseline, each the PyTorch form of its workbench
class (src/main/ssl/methods/{byol,simsiam,barlow-twins,vicreg,dino,autoencoder}.ts), with the same
interface as methods.py: 'loss(views, indices, step)', 'after_backward(step)', 'after_step()',
'encoder', 'parameters()', 'to(device)', 'state_dict()'. Each wrapped module does all of a step's
forward passes in one call, so DistributedDataParallel sees one forward per step; every view is
forwarded on its own (BatchNorm statistics per view), as the workbench does.
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from losses import barlow_twins_loss, dino_center_update, dino_loss, dino_teacher_temp, negative_cosine_similarity, vicreg_loss
from models import Network, NetworkMethod, ProjectionHead, WeightNormLinear


class PerView(nn.Module):
    """Network (+ predictor): forward(views) -> ([z per view], [p per view] or None)."""

    def __init__(self, network, predictor=None):
        super().__init__()
        self.network = network
        self.predictor = predictor

    def forward(self, views):
        z = [self.network(v) for v in views]
        return z, ([self.predictor(zi) for zi in z] if self.predictor is not None else None)


def predictor_for(plan, network):
    return ProjectionHead(network.head.out_dim, plan["method"]["predictor"], plan["encoder"]["torchBatchNormMomentum"])


class EmaTarget:
    """A frozen copy of 'online' that follows it by theta_t <- m theta_t + (1 - m) theta (BYOL's
    target, DINO's teacher); training-mode BatchNorm on its own batch, as the workbench."""

    def __init__(self, online):
        self.online = online
        self.network = copy.deepcopy(online)
        for p in self.network.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, momentum):
        for pt, po in zip(self.network.parameters(), self.online.parameters()):
            pt.mul_(momentum).add_(po.detach(), alpha=1 - momentum)

    def state_dict(self):
        return self.network.state_dict()

    def load_state_dict(self, state):
        self.network.load_state_dict(state)


class Byol(NetworkMethod):
    """BYOL (Grill et al. 2020, https://arxiv.org/abs/2006.07733): online network + predictor
    predicts the EMA target's projection of the other view; 1/2 [D(p1, t2) + D(p2, t1)]."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = Network(plan, channels)
        self.online = PerView(self.network, predictor_for(plan, self.network))
        self.model = wrap(self.online)
        self.target = EmaTarget(self.network)

    def parameters(self):
        return list(self.online.parameters())

    def to(self, device):
        self.target.network.to(device)
        return self

    def loss(self, views, indices, step):
        _, (p1, p2) = self.model(views[:2])
        with torch.no_grad():
            t1, t2 = self.target.network(views[0]), self.target.network(views[1])
        return 0.5 * (negative_cosine_similarity(p1, t2) + negative_cosine_similarity(p2, t1))

    def after_backward(self, step):
        pass

    def after_step(self):
        self.target.update(self.config["momentum"])

    def state_dict(self):
        return {"online": self.online.state_dict(), "target": self.target.state_dict()}


class Simsiam(NetworkMethod):
    """SimSiam (Chen & He 2021, https://arxiv.org/abs/2011.10566): 1/2 D(p1, sg(z2)) + 1/2 D(p2, sg(z1))."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = Network(plan, channels)
        self.online = PerView(self.network, predictor_for(plan, self.network))
        self.model = wrap(self.online)

    def parameters(self):
        return list(self.online.parameters())

    def to(self, device):
        return self

    def loss(self, views, indices, step):
        (z1, z2), (p1, p2) = self.model(views[:2])
        return 0.5 * (negative_cosine_similarity(p1, z2.detach()) + negative_cosine_similarity(p2, z1.detach()))

    def after_backward(self, step):
        pass

    def after_step(self):
        pass

    def state_dict(self):
        return {"online": self.online.state_dict()}


class TwoBranch(NetworkMethod):
    """Barlow Twins / VICReg: one network, each view forwarded on its own, a loss over both."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = Network(plan, channels)
        self.model = wrap(PerView(self.network))

    def to(self, device):
        return self

    def loss(self, views, indices, step):
        (z1, z2), _ = self.model(views[:2])
        c = self.config
        if c["method"] == "barlow-twins":
            return barlow_twins_loss(z1, z2, c["lambda"])
        return vicreg_loss(z1, z2, c["lambda"], c["mu"], c["nu"])

    def after_backward(self, step):
        pass

    def after_step(self):
        pass

    def state_dict(self):
        return {"network": self.network.state_dict()}


class ByResolution(nn.Module):
    """forward(groups) -> [network(group)] — one pass per crop resolution (global, local)."""

    def __init__(self, network):
        super().__init__()
        self.network = network

    def forward(self, groups):
        return [self.network(g) for g in groups]


class DinoNetwork(Network):
    """Encoder f + head g (the paper's MLP up to its bottleneck) + the weight-normalised last layer
    (g fixed to 1, K = outputDim outputs): forward returns last_layer(normalize(g(f(x))))."""

    def __init__(self, plan, channels):
        super().__init__(plan, channels)
        self.last_layer = WeightNormLinear(self.head.out_dim, plan["method"]["outputDim"])

    def forward(self, x):
        return self.last_layer(self.head(self.encoder(x)))


class Dino(NetworkMethod):
    """DINO (Caron et al. 2021, https://arxiv.org/abs/2104.14294): the student sees every crop, the
    EMA teacher the global crops; centred, sharpened teacher targets; the centre's EMA uses the
    teacher outputs of all ranks. Per epoch (train.py calls begin_epoch), as the reference
    main_dino.py: the last layer's gradients are dropped (grad None, so the optimiser skips it:
    no step, no momentum or Adam state, no weight decay) while epoch < freezeLastLayer, and tau_t
    warms up from warmupTeacherTemp over warmupTeacherTempEpochs epochs."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = DinoNetwork(plan, channels)
        self.model = wrap(ByResolution(self.network))
        self.teacher = EmaTarget(self.network)
        self.center = torch.zeros(self.network.last_layer.out_dim)
        self.pending = None
        self.epoch = 0

    def begin_epoch(self, epoch):
        self.epoch = epoch

    def teacher_temp(self):
        c = self.config
        # .get: a config.json written before the fields keeps its old behaviour (the schema's defaults).
        return dino_teacher_temp(self.epoch, c["teacherTemp"], c.get("warmupTeacherTemp", 0.04), c.get("warmupTeacherTempEpochs", 0))

    def to(self, device):
        self.teacher.network.to(device)
        self.center = self.center.to(device)
        return self

    def loss(self, views, indices, step):
        c = self.config
        n, large = views[0].shape[0], c["largeCrops"]
        groups = [g for g in (views[:large], views[large:]) if g]
        outs = self.model([torch.cat(g) for g in groups])
        student = [o[i * n : (i + 1) * n] for o, g in zip(outs, groups) for i in range(len(g))]
        with torch.no_grad():
            t = self.teacher.network(torch.cat(views[:large]))
            teacher = [t[i * n : (i + 1) * n] for i in range(large)]
        self.pending = teacher
        return dino_loss(teacher, student, self.center, self.teacher_temp(), c["studentTemp"])

    def after_backward(self, step):
        if self.epoch < self.config.get("freezeLastLayer", 0):
            for p in self.network.last_layer.parameters():
                p.grad = None

    def after_step(self):
        self.teacher.update(self.config["momentum"])
        if self.pending is not None:
            self.center = dino_center_update(self.center, self.pending, self.config["centerMomentum"])
            self.pending = None

    def state_dict(self):
        return {"network": self.network.state_dict(), "teacher": self.teacher.state_dict(), "center": self.center}


def decoder_layout(image_size):
    """(upsamplings, start side): the most upsamplings <= 4 keeping ceil(S / 2^u) >= 4 (conv-decoder.ts)."""
    u = 0
    while u < 4 and math.ceil(image_size / 2 ** (u + 1)) >= 4:
        u += 1
    return u, math.ceil(image_size / 2**u)


class ConvDecoder(nn.Module):
    """latent [B, L] -> Linear(s0*s0*c) ReLU -> [c, s0, s0] -> u x (4x4 stride-2 transposed conv, ReLU, c/2)
    -> 3x3 conv to the image channels -> cropped to [B, C, S, S] (src/main/ssl/heads/conv-decoder.ts)."""

    def __init__(self, latent, image_size, channels, base):
        super().__init__()
        self.upsamplings, self.start = decoder_layout(image_size)
        self.image_size, self.base = image_size, base
        self.dense = nn.Linear(latent, self.start * self.start * base)
        layers, width = [], base
        for _ in range(self.upsamplings):
            nxt = max(4, width // 2)
            # 4x4 stride-2 transposed conv, padding 1: exactly TensorFlow's 'same' (output 2h).
            layers += [nn.ConvTranspose2d(width, nxt, 4, stride=2, padding=1), nn.ReLU()]
            width = nxt
        layers.append(nn.Conv2d(width, channels, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, latent):
        x = F.relu(self.dense(latent)).view(-1, self.base, self.start, self.start)
        return self.body(x)[:, :, : self.image_size, : self.image_size]


class AutoencoderModel(nn.Module):
    def __init__(self, network, decoder):
        super().__init__()
        self.network = network
        self.decoder = decoder

    def forward(self, x):
        return self.decoder(self.network(x))


class Autoencoder(NetworkMethod):
    """The generative baseline: encoder + head (bottleneck) + conv decoder, pixel MSE against the
    clean view; corruption none | noise (x + N(0, noiseStd^2)) | mask (maskRatio of maskPatch-px
    patches zeroed)."""

    def __init__(self, plan, channels, wrap):
        self.config = plan["method"]
        self.network = Network(plan, channels)
        decoder = ConvDecoder(self.network.head.out_dim, plan["imageSize"], channels, self.config["decoderChannels"])
        self.ae = AutoencoderModel(self.network, decoder)
        self.model = wrap(self.ae)

    def parameters(self):
        return list(self.ae.parameters())

    def to(self, device):
        return self

    def corrupt(self, x):
        c = self.config
        if c["corruption"] == "noise":
            return x + torch.randn_like(x) * c["noiseStd"]
        if c["corruption"] == "mask":
            b, _, h, w = x.shape
            p = c["maskPatch"]
            keep = (torch.rand(b, 1, -(-h // p), -(-w // p), device=x.device) >= c["maskRatio"]).to(x.dtype)
            keep = keep.repeat_interleave(p, dim=2).repeat_interleave(p, dim=3)[:, :, :h, :w]
            return x * keep
        return x

    def loss(self, views, indices, step):
        clean = views[0]
        return F.mse_loss(self.model(self.corrupt(clean)), clean)

    def after_backward(self, step):
        pass

    def after_step(self):
        pass

    def state_dict(self):
        return {"ae": self.ae.state_dict()}

    def extra_tensors(self):
        """What the workbench's reconstruction preview needs besides the encoder: the head and the
        decoder, keyed by their path from the method (src/main/export/pytorch/method-weights.ts)."""
        return {f"ae.{k}": v for k, v in self.ae.state_dict().items() if v.is_floating_point() and not k.startswith("network.encoder.")}


def create_noncontrastive(plan, channels, wrap):
    """The method of plan['method'], or None when it is not one of this file's."""
    name = plan["method"]["method"]
    if name == "byol":
        return Byol(plan, channels, wrap)
    if name == "simsiam":
        return Simsiam(plan, channels, wrap)
    if name in ("barlow-twins", "vicreg"):
        return TwoBranch(plan, channels, wrap)
    if name == "dino":
        return Dino(plan, channels, wrap)
    if name == "autoencoder":
        return Autoencoder(plan, channels, wrap)
    return None
