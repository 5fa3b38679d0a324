"""What ties a training run to the Contrastive Workbench (docs/pytorch-engine.md):

- CacheImages: the workbench's tensor cache file (src/main/data/cache.ts) as the data feed, so a
  run inside the workbench never decodes the user's images again;
- EventLog: the JSON-lines event stream (metrics.jsonl, echoed on stdout) the workbench records
  the same way as a tfjs run: started, step, epoch, checkpoint, stopped, done, failed;
- weighted kNN (Wu et al. 2018, https://arxiv.org/abs/1805.01978, Sec. 3.4) and alignment /
  uniformity (Wang & Isola 2020, https://arxiv.org/abs/2005.10242) per epoch;
- safetensors files of the encoder, keyed by the names of this project's model (models.ResNet);
- the control file: "pause" or "cancel" written into it stops the run after the current step,
  with a checkpoint.
"""
import json
import math
import os
import random
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

CACHE_MAGIC = b"CWBTCACH"
CACHE_VERSIONS = (1, 2)
CACHE_HEADER = 32
CACHE_HASH = 32


class CacheImages:
    """Records of a tensor cache (src/main/data/cache.ts): 32-byte header ("CWBTCACH", u32 version,
    S, C, N, and in version 2 R = records per checksum chunk), N records of S*S*C uint8 pixels
    (HWC), N 32-byte hashes, then in version 2 ceil(N/R) + 1 CRC-32s (the workbench verifies them
    before it starts a run). `indices` are the records of this split; batch(positions) -> uint8
    [B, C, S, S], positions index `indices` (memory-bank rows)."""

    def __init__(self, path, indices):
        with open(path, "rb") as f:
            header = f.read(CACHE_HEADER)
        if len(header) < CACHE_HEADER or header[:8] != CACHE_MAGIC:
            raise SystemExit(f"feed: {path} is not a workbench tensor cache")
        version, size, channels, count, chunk = struct.unpack_from("<IIIII", header, 8)
        if version not in CACHE_VERSIONS:
            raise SystemExit(f"feed: tensor cache version {version} is not supported by this project (reads {CACHE_VERSIONS})")
        record = size * size * channels
        checksums = 0 if version == 1 else 4 * ((-(-count // chunk) if chunk > 0 else 0) + 1)
        if os.path.getsize(path) != CACHE_HEADER + count * (record + CACHE_HASH) + checksums:
            raise SystemExit(f"feed: the tensor cache {path} is truncated or corrupt")
        self.size, self.channels, self.count = size, channels, count
        self.pixels = np.memmap(path, dtype=np.uint8, mode="r", offset=CACHE_HEADER, shape=(count, size, size, channels))
        self.indices = np.asarray(indices, dtype=np.int64)
        if len(self.indices) and (self.indices.min() < 0 or self.indices.max() >= count):
            raise SystemExit(f"feed: record indices outside [0, {count}) in {path}")

    def __len__(self):
        return len(self.indices)

    def batch(self, positions):
        records = self.indices[np.asarray(positions, dtype=np.int64)]
        return torch.from_numpy(np.ascontiguousarray(self.pixels[records])).permute(0, 3, 1, 2)


class CacheBatches:
    """(images uint8 [b, C, S, S], positions) per step from a GlobalBatches sampler, read in the
    training process (one memory-mapped gather per batch; no worker processes needed)."""

    def __init__(self, images, sampler):
        self.images, self.sampler = images, sampler

    def __iter__(self):
        for positions in self.sampler:
            yield self.images.batch(positions), torch.as_tensor(positions, dtype=torch.long)


class EventLog:
    """One JSON object per line in `path` (appended, flushed per event) and, when `echo`, on stdout
    behind the marker the workbench reads."""

    MARKER = "@cwb-event "

    def __init__(self, path, echo):
        self.file = open(path, "a", encoding="utf-8") if path else None
        self.echo = echo

    def emit(self, event, **payload):
        line = json.dumps({"event": event, **payload}, allow_nan=False, default=_plain)
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()
        if self.echo:
            print(self.MARKER + line, flush=True)

    def close(self):
        if self.file:
            self.file.close()


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def finite_or_none(value):
    return value if value is not None and math.isfinite(value) else None


@torch.no_grad()
def embed(encoder, images, positions, image_size, device, to_float, batch=256):
    """Encoder features [N, F] of the images at `positions`, inference-mode BatchNorm."""
    was_training = encoder.training
    encoder.eval()
    out = []
    try:
        for start in range(0, len(positions), batch):
            x = to_float(images.batch(positions[start : start + batch]), image_size, device)
            out.append(encoder(x).float().cpu())
    finally:
        encoder.train(was_training)
    return torch.cat(out) if out else torch.zeros(0, 0)


def knn_accuracy(train_features, train_labels, val_features, val_labels, num_classes, k, temperature):
    """Weighted kNN on cosine similarity: the k most similar training rows vote with exp(sim / T);
    the class with the highest score (lowest class on ties) is the prediction."""
    train = F.normalize(train_features, dim=1)
    val = F.normalize(val_features, dim=1)
    k = min(k, train.shape[0])
    correct = 0
    for start in range(0, val.shape[0], 256):
        sims, idx = (val[start : start + 256] @ train.t()).topk(k, dim=1)
        votes = torch.zeros(sims.shape[0], num_classes, dtype=torch.float64)
        votes.scatter_add_(1, train_labels[idx], torch.exp(sims.double() / temperature))
        correct += int((votes.argmax(dim=1) == val_labels[start : start + 256]).sum())
    return correct / val.shape[0]


@torch.no_grad()
def alignment_uniformity(encoder, x_views):
    """alignment = E||f(x) - f(y)||^2 over two views of an image; uniformity = log E exp(-2||f(x) -
    f(x')||^2) over pairs of different images; features L2-normalised, inference-mode BatchNorm."""
    was_training = encoder.training
    encoder.eval()
    try:
        f0 = F.normalize(encoder(x_views[0]).double(), dim=1)
        f1 = F.normalize(encoder(x_views[1]).double(), dim=1)
    finally:
        encoder.train(was_training)
    n = f0.shape[0]
    alignment = float((f0 - f1).pow(2).sum(1).mean())
    sq = 2 - 2 * (f0 @ f0.t())
    off = 1 - torch.eye(n, dtype=torch.float64)
    uniformity = float(torch.log((torch.exp(-2 * sq) * off).sum() / (n * (n - 1))))
    return alignment, uniformity


def probe_input(count, channels, size):
    """A fixed input both engines can build exactly: x[n, c, h, w] = ((7n + 13c + 3h + 5w) mod 17) / 16."""
    n = torch.arange(count).view(-1, 1, 1, 1)
    c = torch.arange(channels).view(1, -1, 1, 1)
    h = torch.arange(size).view(1, 1, -1, 1)
    w = torch.arange(size).view(1, 1, 1, -1)
    return ((7 * n + 13 * c + 3 * h + 5 * w) % 17).float() / 16


def write_safetensors(path, tensors, metadata=None):
    """safetensors (https://huggingface.co/docs/safetensors): u64 LE header length, JSON header
    {name: {dtype, shape, data_offsets}}, then the raw little-endian data. Float tensors as F32."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_safetensors(path):
    """{name: float32 tensor} of a safetensors file (F32, F16, BF16, F64 read as float32)."""
    dtypes = {"F32": np.float32, "F64": np.float64, "F16": np.float16}
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        if entry["dtype"] not in dtypes:
            raise SystemExit(f"--init-from: {path}: tensor {name} has dtype {entry['dtype']}; only F32, F64 and F16 are read")
        values = np.frombuffer(raw[base + start : base + end], dtype=np.dtype(dtypes[entry["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(values.astype(np.float32).reshape(entry["shape"]))
    return out


def encoder_tensors(encoder):
    """The encoder's float state (weights and BatchNorm statistics; not num_batches_tracked)."""
    return {k: v for k, v in encoder.state_dict().items() if v.is_floating_point()}


def init_encoder_from(encoder, path):
    """Warm start: load a safetensors file keyed like models.ResNet (what 'cwb export --format
    safetensors' writes). Every float tensor of the encoder must be present with its shape."""
    loaded = read_safetensors(path)
    expected = encoder_tensors(encoder)
    missing = [k for k in expected if k not in loaded]
    wrong = [f"{k} {list(loaded[k].shape)} (expected {list(v.shape)})" for k, v in expected.items() if k in loaded and loaded[k].shape != v.shape]
    if missing or wrong:
        raise SystemExit(f"--init-from {path}: does not fit this project's encoder: "
                         + "; ".join(([f"missing {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"] if missing else []) + wrong[:5]))
    encoder.load_state_dict({**encoder.state_dict(), **{k: loaded[k] for k in expected}})


def load_method_state(method, state, device):
    """Inverse of the methods' state_dict(): each key names the attribute it came from; modules, EMA
    targets and memory banks (entries and negative sampler) load their state dicts, Python RNGs
    their state, tensors (queues, DINO's centre) and counters are put back in place. A key without such an attribute is refused (it would silently not resume)."""
    for key, value in state.items():
        if not hasattr(method, key):
            raise SystemExit(f"--resume: the checkpoint holds {key!r}, which {type(method).__name__} does not have")
        target = getattr(method, key)
        if hasattr(target, "load_state_dict"):
            target.load_state_dict(value)
        elif isinstance(target, random.Random):
            target.setstate(value)
        elif isinstance(value, torch.Tensor):
            setattr(method, key, value.to(device))
        elif isinstance(value, list):
            setattr(method, key, [v.to(device) if isinstance(v, torch.Tensor) else v for v in value])
        else:
            setattr(method, key, value)


def assign_method_tensors(method, tensors):
    """Put tensors keyed by their dotted path from the method object in place: inside a module the
    rest of the path is a state-dict key ('network.head.0.weight', 'swav.prototypes'), elsewhere an
    attribute ('center', 'bank.entries', 'queue'). Every float tensor of each module reached must be
    given, with its shape (src/main/export/pytorch/method-weights.ts writes them)."""
    touched = {}
    for key, value in tensors.items():
        parts, obj = key.split("."), method
        for i, part in enumerate(parts):
            if isinstance(obj, torch.nn.Module):
                rest, state = ".".join(parts[i:]), obj.state_dict()
                if rest not in state or state[rest].shape != value.shape:
                    have = list(state[rest].shape) if rest in state else "nothing"
                    raise SystemExit(f"{key}: {list(value.shape)} given, the method has {have}")
                state[rest].copy_(value)
                touched.setdefault(id(obj), (".".join(parts[:i]), obj, set()))[2].add(rest)
                break
            if i == len(parts) - 1:
                old = getattr(obj, part, None)
                if not isinstance(old, torch.Tensor) or old.shape != value.shape:
                    raise SystemExit(f"{key}: {list(value.shape)} given, the method has {getattr(old, 'shape', old)}")
                setattr(obj, part, value.to(old.device, old.dtype))
            else:
                obj = getattr(obj, part)
    for prefix, module, given in touched.values():
        missing = [k for k, v in module.state_dict().items() if v.is_floating_point() and k not in given]
        if missing:
            raise SystemExit(f"{prefix}: no tensors given for {', '.join(missing[:5])}")


def read_control(path):
    """'pause' or 'cancel' when the workbench asked the run to stop, else None."""
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            word = f.read().strip()
    except OSError:
        return None
    return word if word in ("pause", "cancel") else "pause"


def failure(exc):
    """(message, hint) for an exception that ends the run."""
    text = f"{type(exc).__name__}: {exc}".strip()
    if "out of memory" in text.lower():
        return (text.splitlines()[0], "CUDA ran out of memory: lower the batch size or the image size; the last checkpoint is kept")
    return (text.splitlines()[0] if text else repr(exc), None)


def device_line(device):
    if device.type == "cuda":
        return f"cuda:{device.index or 0} {torch.cuda.get_device_name(device)}"
    return f"cpu ({torch.get_num_threads()} threads)"


def stderr(message):
    print(message, file=sys.stderr, flush=True)


@torch.no_grad()
def prototype_assignments(swav_model, images, image_size, device, to_float, epsilon, iterations, batch=128):
    """SwAV: each training image's prototype (argmax of its Sinkhorn code, inference mode, in
    batches of 128 as the workbench) and the code's entropy. Every rank calls it: with several
    ranks each embeds every world-th image with rank 0's BatchNorm statistics, the features are
    gathered (distributed.gather_rows) and Sinkhorn runs on each batch of 128 as in one process."""
    from distributed import broadcast_buffers, gather_rows, rank, world_size
    from losses import sinkhorn

    network = swav_model.network
    broadcast_buffers(network)  # DDP leaves each rank's running statistics of its last batch
    was = network.training
    network.eval()
    prototype, entropy = [], []
    try:
        with torch.no_grad():
            mine = list(range(rank(), len(images), world_size()))
            parts = [network(to_float(images.batch(mine[s : s + batch]), image_size, device)) for s in range(0, len(mine), batch)]
            local = torch.cat(parts) if parts else torch.zeros(0, network.head.out_dim, device=device)
            z = F.normalize(gather_rows(local, len(images)), dim=1)
            for start in range(0, len(images), batch):
                q = sinkhorn(z[start : start + batch] @ swav_model.prototypes.t(), epsilon, iterations, collective=False)
                q = q / q.sum(dim=1, keepdim=True)
                prototype += q.argmax(dim=1).tolist()
                entropy += (-(q * torch.log(q.clamp_min(1e-30))) * (q > 0)).sum(dim=1).tolist()
    finally:
        network.train(was)
    return prototype, entropy
