"""The PyTorch engine beside its hand-written peer on CUDA, with only Python + torch + numpy (no
Node): the issue-15 comparison of docs/BENCHMARKS.md, for a machine with NVIDIA GPUs.

    /usr/bin/python3 bench/gpu/pytorch_engine.py                     # batch 256, 32 px, ResNet-18-CIFAR
    /usr/bin/python3 bench/gpu/pytorch_engine.py --batch-size 64 --steps 20 --device cpu   # a dry run

1. The engine: the generated project (resources/pytorch-project/*.py, config.json from
   bench/gpu/simclr-resnet18-cifar.config.json — what `cwb export --format pytorch-project` writes
   for SimCLR, ResNet-18-CIFAR, Adam 1e-3) trains through train.py --feed on a workbench tensor
   cache of random images written here, exactly as the workbench launches it (one process; then
   torchrun with one NCCL process per GPU when there are several). images/s = views through
   forward + backward / the step seconds train.py reports, after --warmup steps; augmentation on
   the GPU is included.
2. The peer: bench/peers/simclr_step.py --device cuda (the same step on pre-made views, no
   augmentation).
Prints one JSON object: engine (1 GPU), engineAllGpus (when there are several), peer, ratio.
"""
import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROJECT = os.path.join(ROOT, "resources", "pytorch-project")
MARKER = "@cwb-event "



def free_port():
    """A TCP port free on 127.0.0.1 now, for torchrun's local rendezvous (torch 1.13's --standalone pins 29400)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def write_cache(path, count, size, channels, seed=0):
    """A version-1 workbench tensor cache (src/main/data/cache.ts): 32-byte header, uint8 HWC records, hashes."""
    rng = np.random.default_rng(seed)
    with open(path, "wb") as f:
        f.write(b"CWBTCACH" + struct.pack("<IIIII", 1, size, channels, count, 0) + b"\0" * 4)
        for start in range(0, count, 1024):
            f.write(rng.integers(0, 256, (min(1024, count - start), size, size, channels), dtype=np.uint8).tobytes())
        f.write(b"\0" * (32 * count))


def engine(work, args, processes):
    out = os.path.join(work, f"output-{processes}")
    script = ["train.py", "--feed", os.path.join(work, "feed.json"), "--out", out, "--device", args.device, "--workers", "0",
              "--max-steps", str(args.warmup + args.steps)]
    if args.device == "cpu":
        script += ["--threads", str(args.threads)]
    cmd = [sys.executable] + (["-m", "torch.distributed.run", "--nnodes=1", "--rdzv_backend=c10d", f"--rdzv_endpoint=127.0.0.1:{free_port()}", f"--nproc_per_node={processes}"] if processes > 1 else []) + script
    run = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    events = [json.loads(line[len(MARKER):]) for line in run.stdout.splitlines() if line.startswith(MARKER)]
    if run.returncode != 0 or not any(e["event"] == "done" for e in events):
        failed = [e for e in events if e["event"] == "failed"]
        raise SystemExit(f"train.py ({processes} process(es)) failed: {failed[0]['message'] if failed else run.stderr.strip().splitlines()[-1:]}")
    steps = [e for e in events if e["event"] == "step" and e["step"] > args.warmup]
    started = next(e for e in events if e["event"] == "started")
    return {"device": started["device"], "processes": processes, "steps": len(steps),
            "imagesPerSecond": sum(e["views"] for e in steps) / sum(e["seconds"] for e in steps),
            "medianSecondsPerStep": statistics.median(e["seconds"] for e in steps)}


def peer(args):
    cmd = [sys.executable, os.path.join(ROOT, "bench", "peers", "simclr_step.py"), "--encoder", "resnet18-cifar", "--batch-size", str(args.batch_size),
           "--image-size", str(args.image_size), "--steps", str(args.steps), "--warmup", str(args.warmup), "--device", args.device, "--threads", str(args.threads)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"peer failed: {run.stderr.strip().splitlines()[-1:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch-size", type=int, default=256, help="images per step (2 views each)")
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--steps", type=int, default=30, help="timed steps")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--images", type=int, default=8192, help="images in the synthetic tensor cache")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", choices=["cpu", "cuda"])
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU threads (--device cpu)")
    args = p.parse_args()
    if args.images < args.batch_size * (args.warmup + args.steps):
        args.images = args.batch_size * (args.warmup + args.steps)
    work = tempfile.mkdtemp(prefix="cwb-gpu-bench-")
    try:
        for name in os.listdir(PROJECT):
            if name.endswith(".py"):
                shutil.copy(os.path.join(PROJECT, name), work)
        with open(os.path.join(HERE, "simclr-resnet18-cifar.config.json"), encoding="utf-8") as f:
            config = json.load(f)
        plan = config["plan"]
        plan.update(batchSize=args.batch_size, imageSize=args.image_size, epochs=1, maxStepsPerEpoch=None,
                    checkpointEverySteps=10**9)
        for view in plan["views"]:
            view["size"] = args.image_size
        config["dataset"]["imageSize"] = args.image_size
        config["experiment"]["evaluation"] = {"knnK": 200, "knnTemperature": 0.1, "everyEpochs": 10**6}
        with open(os.path.join(work, "config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f)
        cache = os.path.join(work, "cache.bin")
        write_cache(cache, args.images, args.image_size, 3)
        with open(os.path.join(work, "feed.json"), "w", encoding="utf-8") as f:
            json.dump({"cacheFile": cache, "train": [{"cacheIndex": i, "label": -1} for i in range(args.images)], "val": [], "numClasses": 0}, f)
        gpus = torch.cuda.device_count() if args.device == "cuda" else 1
        report = {"torch": torch.__version__, "gpus": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())],
                  "batchSize": args.batch_size, "imageSize": args.image_size, "encoder": "resnet18-cifar", "method": "simclr"}
        report["engine"] = engine(work, args, 1)
        if gpus > 1:
            report["engineAllGpus"] = engine(work, args, gpus)
        report["peer"] = peer(args)
        report["ratio"] = report["engine"]["imagesPerSecond"] / report["peer"]["imagesPerSecond"]
        print(json.dumps(report, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
