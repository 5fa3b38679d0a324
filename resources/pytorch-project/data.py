"""The dataset's own image folder: class sub-folders (labels are not used for training), decoded
like the workbench (EXIF orientation, alpha dropped, grey or sRGB, scaled to cover S x S and
centre-cropped, S = the dataset's import size), then resized to the training image size with
align-corners bilinear interpolation. Images of the workbench's validation split are left out
(splits.json), so kNN numbers in the workbench stay comparable.
"""
import os

import numpy as np
import torch
from PIL import Image, ImageOps

EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif"}


def list_images(root, exclude=()):
    """Relative paths of every image under root (hidden entries skipped), sorted."""
    excluded = set(exclude)
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in EXTENSIONS:
                continue
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            if rel not in excluded:
                found.append(rel)
    return sorted(found)


def decode(path, size, channels):
    """uint8 [C, size, size]."""
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img)
        img = img.convert("L" if channels == 1 else "RGB")
        img = ImageOps.fit(img, (size, size), method=Image.LANCZOS, centering=(0.5, 0.5))
        pixels = np.asarray(img, dtype=np.uint8).reshape(size, size, channels)
    return torch.from_numpy(pixels.copy()).permute(2, 0, 1)


class ImageFolder(torch.utils.data.Dataset):
    def __init__(self, root, paths, size, channels):
        self.root, self.paths, self.size, self.channels = root, paths, size, channels

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        """(uint8 [C, size, size], i): the index into 'paths' is the image's memory-bank row."""
        return decode(os.path.join(self.root, self.paths[i]), self.size, self.channels), i


class GlobalBatches(torch.utils.data.Sampler):
    """Seeded shuffle per epoch (the same on every rank), global batches of 'batch_size' images with
    the last partial batch dropped, and this rank's contiguous share of each batch."""

    def __init__(self, count, batch_size, seed, rank, world):
        self.count, self.batch_size, self.seed, self.rank, self.world = count, batch_size, seed, rank, world
        self.epoch = 0
        self.per_rank = batch_size // world

    def __len__(self):
        return self.count // self.batch_size

    def __iter__(self):
        order = torch.randperm(self.count, generator=torch.Generator().manual_seed(self.seed * 100_003 + self.epoch)).tolist()
        for b in range(len(self)):
            start = b * self.batch_size + self.rank * self.per_rank
            yield order[start : start + self.per_rank]


def to_float(batch, image_size, device):
    """uint8 [N, C, S, S] -> float32 [N, C, image_size, image_size] in [0, 1] on 'device'."""
    x = batch.to(device=device, dtype=torch.float32) / 255
    if x.shape[-1] != image_size:
        x = torch.nn.functional.interpolate(x, size=(image_size, image_size), mode="bilinear", align_corners=True)
    return x
