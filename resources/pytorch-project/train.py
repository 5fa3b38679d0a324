"""Train the workbench experiment in config.json with PyTorch DistributedDataParallel.

    torchrun --nproc_per_node=N train.py --data /path/to/images --out output

Every rank reads 'batchSize / world' images per step, so the global batch (and therefore the
loss, the negatives and the learning-rate schedule) is the experiment's. Writes output/encoder.pt
(the encoder's state_dict, for export_onnx.py), output/encoder.safetensors (the same, for the
workbench and --init-from), output/checkpoint.pt (everything, for --resume) and
output/metrics.jsonl (the event stream: 'cwb import-run' brings it into the workbench).
Inside the workbench the images come from its tensor cache (--feed) and the run stops cleanly
when the workbench writes "pause" or "cancel" into output/control.
"""
import argparse
import json
import math
import os
import random
import signal
import time

import torch
from torch.nn.parallel import DistributedDataParallel

import distributed
import workbench
from augment import build_jigsaw, build_views
from data import GlobalBatches, ImageFolder, list_images, to_float
from methods import create_method
from optim import create_optimizer, learning_rate_at

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE_IMAGES = 4


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
    p.add_argument("--feed", default=None, help="feed.json written by the workbench: its tensor cache and the record indices of each split")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    p.add_argument("--init-from", default=None, help="warm start: encoder weights from a .safetensors file keyed like models.ResNet")
    p.add_argument("--threads", type=int, default=None, help="CPU threads of each CPU process (default: torch's choice)")
    p.add_argument("--control", default=None, help="file the workbench writes 'pause' or 'cancel' into (default OUT/control)")
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
    if args.threads and device.type == "cpu":  # the workbench gives each of several CPU processes its share
        torch.set_num_threads(args.threads)
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
    events = workbench.EventLog(os.path.join(args.out, "metrics.jsonl") if rank == 0 else None, echo=rank == 0)
    try:
        train(config, plan, args, device, use_cuda, rank, world, events)
    except SystemExit as exc:
        if rank == 0 and exc.code not in (None, 0):
            events.emit("failed", message=str(exc.code), hint=None)
        raise
    except Exception as exc:  # one clear line for the workbench, the traceback on stderr
        if rank == 0:
            message, hint = workbench.failure(exc)
            events.emit("failed", message=message, hint=hint)
        raise
    finally:
        events.close()
    distributed.cleanup()


def train(config, plan, args, device, use_cuda, rank, world, events):
    batch_size = plan["batchSize"]
    if batch_size % world:
        raise SystemExit(f"batchSize: {batch_size} images per step cannot be split over {world} ranks; use a divisor of {batch_size} ranks")
    seed = plan["seed"]
    torch.manual_seed(seed)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    channels = config["dataset"]["channels"]
    evaluation = config["experiment"].get("evaluation", {"knnK": 200, "knnTemperature": 0.1, "everyEpochs": 1})

    def wrap(module):
        module = module.to(device)
        if args.sync_bn and use_cuda:
            module = torch.nn.SyncBatchNorm.convert_sync_batchnorm(module)
        return DistributedDataParallel(module, device_ids=[device] if use_cuda else None) if world > 1 else module

    feed = None
    if args.feed:
        with open(args.feed, encoding="utf-8") as f:
            feed = json.load(f)
        train_images = workbench.CacheImages(feed["cacheFile"], [item["cacheIndex"] for item in feed["train"]])
        val_images = workbench.CacheImages(feed["cacheFile"], [item["cacheIndex"] for item in feed["val"]])
        count, source = len(train_images), "the workbench's tensor cache"
    else:
        exclude = () if args.all_images else config["splits"]["val"]
        paths = list_images(args.data, exclude)
        count, source = len(paths), args.data
    if count < batch_size:
        raise SystemExit(f"batchSize: {batch_size} is larger than the {count} training images in {source}")
    # The memory bank (memory-bank, pirl) has one row per training image, as in the workbench.
    method = create_method(plan, channels, wrap, seed, count).to(device)
    optimizer = create_optimizer(plan["optimizer"], method.parameters())
    sampler = GlobalBatches(count, batch_size, seed, rank, world)
    if feed:
        loader = workbench.CacheBatches(train_images, sampler)
    else:
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
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    control = args.control or os.path.join(args.out, "control")

    step, start_epoch, start_batch, last_loss = 0, 0, 0, None
    if args.resume:
        if not os.path.exists(checkpoint_path):
            raise SystemExit(f"--resume: no checkpoint at {checkpoint_path}")
        saved = torch.load(checkpoint_path, map_location=device)
        workbench.load_method_state(method, saved["method"], device)
        optimizer.load_state_dict(saved["optimizer"])
        step, start_epoch, start_batch = saved["step"], saved["epoch"], saved.get("batch", 0)
        last_loss = saved.get("loss")
    elif args.init_from:
        workbench.init_encoder_from(method.encoder, args.init_from)

    if rank == 0:
        print(f"{plan['method']['method']} on {count} images, {world} rank(s) on {device.type}, "
              f"batch {batch_size} ({batch_size // world} per rank), {steps_per_epoch} steps/epoch, {total_steps} steps", flush=True)
        if not feed:
            print("kNN evaluation (config.json -> experiment.evaluation) is not run here: import encoder.onnx with "
                  "'cwb import-encoder' and run 'cwb eval knn --encoder <id> --dataset <id>'", flush=True)
        if config["experiment"].get("gradientCache"):
            print("gradient caching (config.json -> experiment.gradientCache) is not used here: each rank runs its share "
                  "of the batch in one pass, and BatchNorm sees that share (as the cached chunks did)", flush=True)
        events.emit("started", backend="pytorch", device=workbench.device_line(device) + (f" x{world}" if world > 1 else ""),
                    reason=f"torch {torch.__version__}, {world} process(es)", stepsPerEpoch=steps_per_epoch,
                    resumedAtStep=step, totalSteps=total_steps, world=world, pid=os.getpid())

    saves = {"count": 0}

    def save(step, epoch, batch):
        if rank != 0:
            return
        torch.save(method.encoder.state_dict(), os.path.join(args.out, "encoder.pt"))
        torch.save({"step": step, "epoch": epoch, "batch": batch, "loss": last_loss, "method": method.state_dict(),
                    "optimizer": optimizer.state_dict(), "config": config}, checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)
        weights = os.path.join(args.out, "encoder.safetensors")
        tensors = workbench.encoder_tensors(method.encoder)
        workbench.write_safetensors(weights, tensors, {"format": "cwb-torch-encoder", "step": step})
        # The method's other tensors a workbench view reads (the autoencoder's decoder), keyed by path.
        extra = method.extra_tensors() if hasattr(method, "extra_tensors") else None
        method_weights = os.path.join(args.out, "method.safetensors") if extra else None
        if extra:
            workbench.write_safetensors(method_weights, extra, {"format": "cwb-torch-method", "step": step})
        if feed:
            # The workbench reads each checkpoint's weights after the event, while training goes on:
            # give it files of its own (it removes them once the encoder is adopted).
            saves["count"] += 1
            weights = os.path.join(args.out, f"encoder-step-{step:09d}.{saves['count']}.safetensors")
            workbench.write_safetensors(weights, tensors, {"format": "cwb-torch-encoder", "step": step})
            if extra:
                method_weights = os.path.join(args.out, f"method-step-{step:09d}.{saves['count']}.safetensors")
                workbench.write_safetensors(method_weights, extra, {"format": "cwb-torch-method", "step": step})
        with torch.no_grad():
            probe = workbench.probe_input(PROBE_IMAGES, channels, plan["imageSize"]).to(device)
            was = method.encoder.training
            method.encoder.eval()
            features = method.encoder(probe).float().cpu()
            method.encoder.train(was)
        events.emit("checkpoint", step=step, epoch=epoch, batch=batch, path=weights, checkpoint=checkpoint_path, methodPath=method_weights,
                    probe={"count": PROBE_IMAGES, "features": [round(v, 7) for v in features.flatten().tolist()]})

    def evaluate(epoch, mean_loss):
        """Per-epoch kNN on the validation split and alignment / uniformity (rank 0, feed only);
        SwAV's assignments of every training image, computed by all ranks and gathered to rank 0."""
        swav = getattr(method, "swav", None)
        assignments = None
        if feed and swav is not None and len(train_images) > 0:
            cfg = plan["method"]
            assignments = workbench.prototype_assignments(swav, train_images, plan["imageSize"], device, to_float,
                                                          cfg["sinkhornEpsilon"], cfg["sinkhornIterations"])
        if rank != 0:
            return
        knn = alignment = uniformity = None
        if feed:
            train_labelled = [i for i, item in enumerate(feed["train"]) if item["label"] >= 0]
            val_labelled = [i for i, item in enumerate(feed["val"]) if item["label"] >= 0]
            if train_labelled and val_labelled and feed["numClasses"] >= 2:
                a = workbench.embed(method.encoder, train_images, train_labelled, plan["imageSize"], device, to_float)
                b = workbench.embed(method.encoder, val_images, val_labelled, plan["imageSize"], device, to_float)
                knn = workbench.knn_accuracy(a, torch.tensor([feed["train"][i]["label"] for i in train_labelled]),
                                             b, torch.tensor([feed["val"][i]["label"] for i in val_labelled]),
                                             feed["numClasses"], evaluation["knnK"], evaluation["knnTemperature"])
            views = plan["views"]
            images = val_images if len(val_images) >= 2 else train_images
            if len(views) >= 2 and views[0]["size"] == views[1]["size"] and not plan.get("jigsaw") and len(images) >= 2:
                x = to_float(images.batch(list(range(min(256, len(images))))), plan["imageSize"], device)
                pair = build_views(x, views[:2], random.Random(seed * 7 + epoch))
                alignment, uniformity = workbench.alignment_uniformity(method.encoder, pair)
            if assignments is not None:
                prototype, entropy = assignments
                events.emit("assignments", epoch=epoch, items=list(range(len(train_images))), prototype=prototype,
                            entropy=[round(h, 6) for h in entropy])
        events.emit("epoch", epoch=epoch, step=step, knnAccuracy=knn, meanLoss=workbench.finite_or_none(mean_loss),
                    alignment=workbench.finite_or_none(alignment), uniformity=workbench.finite_or_none(uniformity))

    stop_signal = {"as": None}

    def on_signal(signum, frame):
        stop_signal["as"] = "pause"

    signal.signal(signal.SIGTERM, on_signal)

    parent = int(os.environ.get("CWB_PARENT_PID", "0")) if "RANK" not in os.environ else 0

    def stop_request():
        word = stop_signal["as"] or workbench.read_control(control)
        if word is None and parent and os.getppid() != parent:
            word = "pause"  # the workbench that started this run is gone: checkpoint and end
        if world > 1:  # every rank stops at the same step
            flag = torch.tensor([0 if word is None else (1 if word == "pause" else 2)], device=device)
            flag = int(distributed.all_reduce(flag, "max"))
            return None if flag == 0 else ("pause" if flag == 1 else "cancel")
        return word

    if step == 0 and not args.resume:
        save(0, 0, 0)
        if epochs == 0 or evaluation.get("everyEpochs", 1) >= 1:
            evaluate(0, None)
    images_seen, train_seconds, first_step = 0, 0.0, step
    for epoch in range(start_epoch, epochs):
        if step >= total_steps:
            break
        sampler.epoch = epoch
        if hasattr(method, "begin_epoch"):  # epoch-based schedules (DINO); a resumed run its current epoch
            method.begin_epoch(epoch)
        losses = []
        skip = start_batch if epoch == start_epoch else 0
        for b, (images, indices) in enumerate(loader):
            if b < skip:
                continue
            if b >= steps_per_epoch or step >= total_steps:
                break
            word = stop_request()
            if word:
                save(step, epoch, b)
                if rank == 0:
                    events.emit("stopped", step=step, epoch=epoch, **{"as": word})
                return
            lr = learning_rate_at(plan["schedule"], plan["optimizer"]["learningRate"], epoch + b / steps_per_epoch, epochs)
            for group in optimizer.param_groups:
                group["lr"] = lr
            started = time.time()
            rng = random.Random(seed * 1_000_003 + step * 1_009 + rank)
            # torch's own draws of a step (the autoencoder's noise and masks) depend only on the step too.
            torch.manual_seed(seed * 1_000_003 + step * 1_009 + rank)
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
            losses.append(last_loss)
            seconds = time.time() - started
            # Views through forward + backward (all ranks), the workbench's images/s convention.
            view_count = sum(int(v.shape[0]) for v in views) * world
            images_seen += view_count
            train_seconds += seconds
            if rank == 0:
                left = total_steps - step
                events.emit("step", step=step, epoch=round(epoch + (b + 1) / steps_per_epoch, 4), loss=last_loss, learningRate=lr,
                            imagesPerSecond=view_count / max(seconds, 1e-9), etaSeconds=left * train_seconds / max(1, step - first_step),
                            stepsPerEpoch=steps_per_epoch, totalSteps=total_steps, seconds=round(seconds, 6), views=view_count)
            if step % plan["checkpointEverySteps"] == 0:
                save(step, epoch, b + 1)
        save(step, epoch + 1, 0)
        every = evaluation.get("everyEpochs", 1)
        if (epoch + 1) % every == 0 or epoch + 1 == epochs:
            evaluate(epoch + 1, sum(losses) / len(losses) if losses else None)
    if rank == 0:
        events.emit("done", steps=step, epochs=epochs, finalLoss=last_loss,
                    imagesPerSecond=images_seen / train_seconds if train_seconds > 0 else None,
                    encoder=os.path.join(args.out, "encoder.pt"))


if __name__ == "__main__":
    main()
