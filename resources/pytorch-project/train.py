"""Train the workbench experiment in config.json with PyTorch DistributedDataParallel.

    torchrun --nproc_per_node=N train.py --data /path/to/images --out output

Every rank reads 'batchSize / world' images per step, so the global batch (and therefore the
loss, the negatives and the learning-rate schedule) is the experiment's. Writes output/encoder.pt
(the encoder's state_dict, for export_onnx.py) and output/checkpoint.pt (everything, to resume).
"""
import argparse
import json
import math
import os
import random
import time

import torch
from torch.nn.parallel import DistributedDataParallel

import distributed
from augment import build_jigsaw, build_views
from data import GlobalBatches, ImageFolder, list_images, to_float
from methods import create_method
from optim import create_optimizer, learning_rate_at

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(config):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=config["dataset"]["rootPath"], help="image folder (class sub-folders); default: the dataset's folder")
    p.add_argument("--out", default=os.path.join(HERE, "output"), help="folder for encoder.pt and checkpoint.pt")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--epochs", type=int, default=None, help="override the experiment's epochs")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps in total (quick checks)")
    p.add_argument("--workers", type=int, default=2, help="image-decoding worker processes per rank")
    p.add_argument("--sync-bn", action="store_true", help="BatchNorm statistics over the global batch (SyncBatchNorm, GPU only)")
    p.add_argument("--all-images", action="store_true", help="also train on the workbench's validation split")
    return p.parse_args()


def main():
    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    plan = config["plan"]
    args = parse_args(config)
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    distributed.setup(device)
    rank, world = distributed.rank(), distributed.world_size()
    batch_size = plan["batchSize"]
    if batch_size % world:
        raise SystemExit(f"batchSize: {batch_size} images per step cannot be split over {world} ranks; use a divisor of {batch_size} ranks")
    seed = plan["seed"]
    torch.manual_seed(seed)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    channels = config["dataset"]["channels"]

    def wrap(module):
        module = module.to(device)
        if args.sync_bn and use_cuda:
            module = torch.nn.SyncBatchNorm.convert_sync_batchnorm(module)
        return DistributedDataParallel(module, device_ids=[device] if use_cuda else None) if world > 1 else module

    exclude = () if args.all_images else config["splits"]["val"]
    paths = list_images(args.data, exclude)
    if len(paths) < batch_size:
        raise SystemExit(f"batchSize: {batch_size} is larger than the {len(paths)} training images in {args.data}")
    # The memory bank (memory-bank, pirl) has one row per training image, as in the workbench.
    method = create_method(plan, channels, wrap, seed, len(paths)).to(device)
    optimizer = create_optimizer(plan["optimizer"], method.parameters())
    sampler = GlobalBatches(len(paths), batch_size, seed, rank, world)
    loader = torch.utils.data.DataLoader(
        ImageFolder(args.data, paths, config["dataset"]["imageSize"], channels),
        batch_sampler=sampler,
        num_workers=args.workers,
        pin_memory=use_cuda,
        persistent_workers=args.workers > 0,
    )
    epochs = plan["epochs"] if args.epochs is None else args.epochs
    steps_per_epoch = min(len(sampler), plan["maxStepsPerEpoch"] or len(sampler))
    total_steps = epochs * steps_per_epoch if args.max_steps is None else min(args.max_steps, epochs * steps_per_epoch)
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        print(f"{plan['method']['method']} on {len(paths)} images, {world} rank(s) on {device.type}, "
              f"batch {batch_size} ({batch_size // world} per rank), {steps_per_epoch} steps/epoch, {total_steps} steps", flush=True)
        print("kNN evaluation (config.json -> experiment.evaluation) is not run here: import encoder.onnx with "
              "'cwb import-encoder' and run 'cwb eval knn --encoder <id> --dataset <id>'", flush=True)
        if config["experiment"].get("gradientCache"):
            print("gradient caching (config.json -> experiment.gradientCache) is not used here: each rank runs its share "
                  "of the batch in one pass, and BatchNorm sees that share (as the cached chunks did)", flush=True)

    def save(step, epoch):
        if rank != 0:
            return
        torch.save(method.encoder.state_dict(), os.path.join(args.out, "encoder.pt"))
        torch.save({"step": step, "epoch": epoch, "method": method.state_dict(), "optimizer": optimizer.state_dict(), "config": config},
                   os.path.join(args.out, "checkpoint.pt"))

    step, last_loss = 0, None
    for epoch in range(epochs):
        if step >= total_steps:
            break
        sampler.epoch = epoch
        for b, (images, indices) in enumerate(loader):
            if b >= steps_per_epoch or step >= total_steps:
                break
            lr = learning_rate_at(plan["schedule"], plan["optimizer"]["learningRate"], epoch + b / steps_per_epoch, epochs)
            for group in optimizer.param_groups:
                group["lr"] = lr
            started = time.time()
            rng = random.Random(seed * 1_000_003 + step * 1_009 + rank)
            x = to_float(images, plan["imageSize"], device)
            views = build_views(x, plan["views"], rng)
            if plan.get("jigsaw"):
                views.append(build_jigsaw(x, plan["jigsaw"], rng))  # PIRL: [image view, tiles]
            loss = method.loss(views, indices.to(device), step)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            method.after_backward(step)
            optimizer.step()
            method.after_step()
            step += 1
            shown = distributed.all_reduce(loss.detach().clone()) / world
            last_loss = float(shown)
            if not math.isfinite(last_loss):
                raise SystemExit(f"the loss became {last_loss} at step {step} (epoch {epoch + 1}); lower the learning rate, "
                                 "raise the temperature or check the augmentations")
            if rank == 0:
                print(json.dumps({"step": step, "epoch": round(epoch + (b + 1) / steps_per_epoch, 4), "loss": last_loss, "lr": lr,
                                  "seconds": round(time.time() - started, 3)}), flush=True)
            if step % plan["checkpointEverySteps"] == 0:
                save(step, epoch)
        save(step, epoch + 1)
    if rank == 0:
        save(step, epochs)
        print(json.dumps({"done": True, "steps": step, "finalLoss": last_loss, "encoder": os.path.join(args.out, "encoder.pt")}), flush=True)
    distributed.cleanup()


if __name__ == "__main__":
    main()
