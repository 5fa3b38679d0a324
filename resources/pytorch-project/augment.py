"""Batched augmentation ops in plain PyTorch, one function pair per workbench op (src/main/augment):
'sample_*' draws one image's parameters from a Python 'random.Random' (never on the device), and
'apply_*' transforms a batch [N, C, H, W] float32 in [0, 1] with the per-image parameters.

Same distributions and the same pixel arithmetic as the workbench (crop boxes sampled at pixel
centres, TensorFlow-style fill modes, colour jitter as per-pixel matrices in YIQ, reflect-padded
separable blur); not the same random draws (the workbench uses its own seeded streams).
"""
import math

import torch
import torch.nn.functional as F

LUMA = (0.2989, 0.587, 0.114)
RGB_TO_YIQ = torch.tensor(
    [[0.299, 0.587, 0.114], [0.595716, -0.274453, -0.321263], [0.211456, -0.522591, 0.311135]], dtype=torch.float64
)
YIQ_TO_RGB = torch.linalg.inv(RGB_TO_YIQ)


def per_image(flags, changed, original):
    """changed() where the image's flag is set, the original image elsewhere."""
    if not any(flags):
        return original
    if all(flags):
        return changed()
    mask = torch.tensor(flags, device=original.device).view(-1, 1, 1, 1)
    return torch.where(mask, changed(), original)


# --- random resized crop (and the plain resize a crop-free pipeline starts with) -------------------


def crop_axis(start, extent, size, out):
    """First and last sample (pixel-index coordinates) of a box side resized to 'out' samples."""
    step = extent / out
    first = min(max(start + step / 2 - 0.5, 0), size - 1)
    last = min(max(start + extent - step / 2 - 0.5, 0), size - 1)
    return first, last


def crop_and_resize(x, boxes, out_h, out_w):
    """Bilinear crops of continuous pixel boxes (top, left, height, width) -> [N, C, out_h, out_w]."""
    n, _, h, w = x.shape
    grids = []
    for top, left, bh, bw in boxes:
        y0, y1 = crop_axis(top, bh, h, out_h)
        x0, x1 = crop_axis(left, bw, w, out_w)
        ys = torch.linspace(y0, y1, out_h) if out_h > 1 else torch.tensor([(y0 + y1) / 2])
        xs = torch.linspace(x0, x1, out_w) if out_w > 1 else torch.tensor([(x0 + x1) / 2])
        gy, gx = torch.meshgrid(ys * 2 / max(h - 1, 1) - 1, xs * 2 / max(w - 1, 1) - 1, indexing="ij")
        grids.append(torch.stack([gx, gy], dim=-1))
    grid = torch.stack(grids).to(device=x.device, dtype=x.dtype)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)


def sample_random_resized_crop(rng, spec, h, w):
    if not rng.random() < spec["p"]:
        return (0.0, 0.0, float(h), float(w))
    lo, hi = math.log(spec["ratio"][0]), math.log(spec["ratio"][1])
    for _ in range(10):
        scale = rng.uniform(spec["scale"][0], spec["scale"][1])
        ratio = math.exp(rng.uniform(lo, hi))
        area = scale * h * w
        bw, bh = math.sqrt(area * ratio), math.sqrt(area / ratio)
        if 0 < bw <= w and 0 < bh <= h:
            return (rng.uniform(0, h - bh), rng.uniform(0, w - bw), bh, bw)
    bw, bh = float(w), float(h)
    if w / h < spec["ratio"][0]:
        bh = w / spec["ratio"][0]
    elif w / h > spec["ratio"][1]:
        bw = h * spec["ratio"][1]
    return ((h - bh) / 2, (w - bw) / 2, bh, bw)


# --- rotation and affine: tf.image.transform semantics --------------------------------------------


def map_coord(c, n, mode):
    """Where an out-of-image coordinate reads from, per fill mode (tfjs Transform kernel)."""
    if mode == "constant":
        return c
    if n <= 1:
        return torch.zeros_like(c)
    if mode == "nearest":
        return c.clamp(0, n - 1)
    if mode == "reflect":
        sz2 = 2 * n
        neg = torch.where(c < sz2, sz2 * torch.trunc(-c / sz2) + c, c)
        neg = torch.where(neg < -n, neg + sz2, -neg - 1)
        pos = c - sz2 * torch.trunc(c / sz2)
        pos = torch.where(pos >= n, sz2 - pos - 1, pos)
    else:  # wrap
        sz = n - 1
        neg = c + n * (torch.trunc(-c / sz) + 1)
        pos = c - n * torch.trunc(c / sz)
    out = torch.where(c < 0, neg, torch.where(c > n - 1, pos, c))
    return out.clamp(0, n - 1)


def cos_sin(degrees):
    quarter = degrees / 90
    if float(quarter).is_integer():
        return [(1, 0), (0, 1), (-1, 0), (0, -1)][int(quarter) % 4]
    return math.cos(math.radians(degrees)), math.sin(math.radians(degrees))


def inverse_affine_row(q, h, w):
    """Output pixel (x, y) -> input pixel, the inverse of p -> c + t + R(-theta) Shear s (p - c)."""
    cos, sin = cos_sin(q["degrees"])
    shear = math.tan(math.radians(q["shear"]))
    m00, m01 = cos * q["scale"], (cos * shear + sin) * q["scale"]
    m10, m11 = -sin * q["scale"], (-sin * shear + cos) * q["scale"]
    det = m00 * m11 - m01 * m10
    i00, i01, i10, i11 = m11 / det, -m01 / det, -m10 / det, m00 / det
    cx, cy = (w - 1) / 2, (h - 1) / 2
    ox, oy = cx + q["translate"][0], cy + q["translate"][1]
    return [i00, i01, cx - i00 * ox - i01 * oy, i10, i11, cy - i10 * ox - i11 * oy]


def transform(x, rows, fill, fill_value):
    """Bilinear projective sampling; neighbours outside the image read fill_value (constant mode)."""
    n, c, h, w = x.shape
    a = torch.tensor(rows, dtype=torch.float32, device=x.device).view(n, 6, 1, 1)
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float32, device=x.device), torch.arange(w, dtype=torch.float32, device=x.device), indexing="ij"
    )
    px = map_coord(a[:, 0] * xs + a[:, 1] * ys + a[:, 2], w, fill)
    py = map_coord(a[:, 3] * xs + a[:, 4] * ys + a[:, 5], h, fill)
    x0, y0 = torch.floor(px), torch.floor(py)
    flat = x.reshape(n, c, h * w)

    def read(yi, xi):
        valid = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
        index = (yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)).long().view(n, 1, h * w).expand(n, c, h * w)
        values = flat.gather(2, index).view(n, c, h, w)
        return torch.where(valid.unsqueeze(1), values, torch.full_like(values, fill_value))

    wx, wy = (px - x0).unsqueeze(1), (py - y0).unsqueeze(1)
    top = (1 - wx) * read(y0, x0) + wx * read(y0, x0 + 1)
    bottom = (1 - wx) * read(y0 + 1, x0) + wx * read(y0 + 1, x0 + 1)
    return (1 - wy) * top + wy * bottom


def sample_rotation(rng, spec, h, w):
    applied = rng.random() < spec["p"]
    if spec["mode"] == "right-angles":
        lo, hi = math.ceil(spec["degrees"][0] / 90), math.floor(spec["degrees"][1] / 90)
        degrees = 90 * rng.randrange(lo, hi + 1) if hi >= lo else 0
    else:
        degrees = rng.uniform(spec["degrees"][0], spec["degrees"][1])
    return {"applied": applied, "degrees": degrees if applied else 0, "translate": [0, 0], "scale": 1, "shear": 0}


def sample_affine(rng, spec, h, w):
    applied = rng.random() < spec["p"]
    degrees = rng.uniform(*spec["degrees"])
    dx, dy = spec["translate"][0] * w, spec["translate"][1] * h
    translate = [rng.uniform(-dx, dx), rng.uniform(-dy, dy)]
    scale = rng.uniform(*spec["scale"])
    shear = rng.uniform(*spec["shear"])
    return {"applied": applied, "degrees": degrees, "translate": translate, "scale": scale, "shear": shear}


def apply_affine(x, params, spec):
    _, _, h, w = x.shape
    rows = [inverse_affine_row(q, h, w) for q in params]
    return per_image([q["applied"] for q in params], lambda: transform(x, rows, spec["fill"], spec["fillValue"]), x)


# --- colour ---------------------------------------------------------------------------------------


def luminance(x):
    """[N, 3, H, W] -> [N, 1, H, W] (ITU-R 601 luma); one channel is returned as is."""
    if x.shape[1] == 1:
        return x
    return (x * torch.tensor(LUMA, device=x.device, dtype=x.dtype).view(1, 3, 1, 1)).sum(1, keepdim=True)


def saturation_matrix(s, channels):
    if channels == 1:
        return torch.eye(1, dtype=torch.float64)
    luma = torch.tensor(LUMA, dtype=torch.float64).view(1, 3)
    return (1 - s) * luma.expand(3, 3) + s * torch.eye(3, dtype=torch.float64)


def hue_matrix(delta, channels):
    if channels == 1 or delta == 0:
        return torch.eye(channels, dtype=torch.float64)
    cos, sin = math.cos(2 * math.pi * delta), math.sin(2 * math.pi * delta)
    rotation = torch.tensor([[1, 0, 0], [0, cos, -sin], [0, sin, cos]], dtype=torch.float64)
    return YIQ_TO_RGB @ rotation @ RGB_TO_YIQ


def sample_color_jitter(rng, spec, h, w):
    applied = rng.random() < spec["p"]

    def factor(strength):
        return rng.uniform(max(0, 1 - strength), 1 + strength) if strength > 0 else 1.0

    b, c, s = factor(spec["brightness"]), factor(spec["contrast"]), factor(spec["saturation"])
    hue = rng.uniform(-spec["hue"], spec["hue"]) if spec["hue"] > 0 else 0.0
    order = [0, 1, 2, 3]
    if spec["randomOrder"]:
        rng.shuffle(order)
    if not applied:
        return {"applied": False, "brightness": 1.0, "contrast": 1.0, "saturation": 1.0, "hue": 0.0, "order": order}
    return {"applied": True, "brightness": b, "contrast": c, "saturation": s, "hue": hue, "order": order}


def apply_color_jitter(x, params, spec):
    """Four stages; at stage k every image performs ITS k-th adjustment, then clamps to [0, 1]."""
    n, c, h, w = x.shape
    eye = torch.eye(c, dtype=torch.float64)
    for stage in range(4):
        matrices, offsets = [], []
        for q in params:
            which = q["order"][stage] if q["applied"] else None
            if which == 0:
                matrices.append(q["brightness"] * eye)
            elif which == 1:
                matrices.append(q["contrast"] * eye)
            elif which == 2:
                matrices.append(saturation_matrix(q["saturation"], c))
            elif which == 3:
                matrices.append(hue_matrix(q["hue"], c))
            else:
                matrices.append(eye)
            offsets.append(1 - q["contrast"] if which == 1 else 0.0)
        m = torch.stack(matrices).to(device=x.device, dtype=x.dtype)
        nxt = torch.bmm(m, x.reshape(n, c, h * w)).view(n, c, h, w)
        if any(o != 0 for o in offsets):
            mean_luma = luminance(x).mean(dim=(1, 2, 3))
            nxt = nxt + (mean_luma * torch.tensor(offsets, device=x.device, dtype=x.dtype)).view(n, 1, 1, 1)
        x = nxt.clamp(0, 1)
    return x


def apply_grayscale(x, params, spec):
    if x.shape[1] == 1:
        return x
    return per_image([q["applied"] for q in params], lambda: luminance(x).expand(-1, 3, -1, -1), x)


def blur_radius(spec, h, w):
    scale = min(h, w) / spec["referenceSize"] if spec.get("referenceSize") else 1.0
    wanted = (spec["kernelSize"] - 1) // 2 if spec.get("kernelSize") else math.ceil(3 * spec["sigma"][1] * scale)
    return max(1, min(wanted, h - 1, w - 1))


def gaussian_kernel(sigma, radius):
    taps = [math.exp(-(i * i) / (2 * sigma * sigma)) for i in range(-radius, radius + 1)]
    total = sum(taps)
    return [t / total for t in taps]


def sample_gaussian_blur(rng, spec, h, w):
    applied = rng.random() < spec["p"]
    scale = min(h, w) / spec["referenceSize"] if spec.get("referenceSize") else 1.0
    sigma = rng.uniform(spec["sigma"][0], spec["sigma"][1]) * scale
    return {"applied": applied, "sigma": sigma if applied else 0.0}


def apply_gaussian_blur(x, params, spec):
    n, c, h, w = x.shape

    def blurred():
        r = blur_radius(spec, h, w)
        k = 2 * r + 1
        identity = [1.0 if t == r else 0.0 for t in range(k)]
        taps = torch.tensor([gaussian_kernel(q["sigma"], r) if q["applied"] else identity for q in params], dtype=x.dtype)
        weight = taps.repeat_interleave(c, dim=0).to(x.device)  # [N*C, k]
        folded = F.pad(x.reshape(1, n * c, h, w), (r, r, r, r), mode="reflect")
        out = F.conv2d(folded, weight.view(n * c, 1, k, 1), groups=n * c)
        out = F.conv2d(out, weight.view(n * c, 1, 1, k), groups=n * c)
        return out.view(n, c, h, w).clamp(0, 1)

    return per_image([q["applied"] for q in params], blurred, x)


def apply_solarize(x, params, spec):
    t = spec["threshold"]
    return per_image([q["applied"] for q in params], lambda: torch.where(x >= t, 1 - x, x), x)


def apply_normalize(x, params, spec):
    c = x.shape[1]
    mean, std = spec["mean"], spec["std"]
    mean = mean * c if len(mean) == 1 else mean
    std = std * c if len(std) == 1 else std
    if len(mean) != c or len(std) != c:
        raise ValueError(f"normalize: mean/std have {len(mean)}/{len(std)} values, the images have {c} channel(s)")
    return (x - torch.tensor(mean, device=x.device).view(1, c, 1, 1)) / torch.tensor(std, device=x.device).view(1, c, 1, 1)


def coin(rng, spec, h, w):
    return {"applied": rng.random() < spec["p"]}


OPS = {
    "horizontal-flip": (coin, lambda x, params, spec: per_image([q["applied"] for q in params], lambda: x.flip(-1), x)),
    "vertical-flip": (coin, lambda x, params, spec: per_image([q["applied"] for q in params], lambda: x.flip(-2), x)),
    "rotation": (sample_rotation, apply_affine),
    "affine": (sample_affine, apply_affine),
    "color-jitter": (sample_color_jitter, apply_color_jitter),
    "grayscale": (coin, apply_grayscale),
    "gaussian-blur": (sample_gaussian_blur, apply_gaussian_blur),
    "solarize": (coin, apply_solarize),
    "normalize": (lambda rng, spec, h, w: {"applied": True}, apply_normalize),
}


def apply_pipeline(x, ops, size, rng):
    """One view: 'ops' (config.json -> plan.views[i].ops, defaults filled in) at 'size' pixels."""
    n, _, h, w = x.shape
    if not any(op["op"] == "random-resized-crop" for op in ops) and (h, w) != (size, size):
        x = crop_and_resize(x, [(0.0, 0.0, float(h), float(w))] * n, size, size)
    for spec in ops:
        _, _, h, w = x.shape
        if spec["op"] == "random-resized-crop":
            boxes = [sample_random_resized_crop(rng, spec, h, w) for _ in range(n)]
            x = crop_and_resize(x, boxes, size, size)
            continue
        sample, apply = OPS[spec["op"]]
        params = [sample(rng, spec, h, w) for _ in range(n)]
        x = apply(x, params, spec)
    return x


def build_jigsaw(images, jigsaw, rng):
    """PIRL's jigsaw transform (src/main/augment/jigsaw.ts, views/jigsaw.ts) of the training-size
    images [N, C, H, W] -> tiles [N * grid^2, C, t, t], t = plan.jigsaw.tileSize. Each image draws a
    permutation of the fixed set (perm[position] = cell) and, per cell, an offset in
    [0, jitter * cell) for a tile of (1 - jitter) of the cell; tiles[i * grid^2 + position] is that
    cell of image i, cut from the un-augmented image, then every tile runs through tileOps."""
    n, _, h, w = images.shape
    grid, jitter, size = jigsaw["grid"], jigsaw["jitter"], jigsaw["tileSize"]
    cell_h, cell_w = h / grid, w / grid
    boxes, owners = [], []
    for i in range(n):
        perm = jigsaw["permutations"][rng.randrange(len(jigsaw["permutations"]))]
        offsets = [(rng.uniform(0, cell_h * jitter), rng.uniform(0, cell_w * jitter)) for _ in range(grid * grid)]
        for cell in perm:
            dy, dx = offsets[cell]
            boxes.append(((cell // grid) * cell_h + dy, (cell % grid) * cell_w + dx, cell_h * (1 - jitter), cell_w * (1 - jitter)))
            owners.append(i)
    tiles = crop_and_resize(images[owners], boxes, size, size)
    return apply_pipeline(tiles, jigsaw["tileOps"], size, rng)


def build_views(images, views, rng):
    """images [N, C, H, W] in [0, 1] -> one tensor per entry of plan.views, in the method's order."""
    return [apply_pipeline(images, view["ops"], view["size"], rng) for view in views]
