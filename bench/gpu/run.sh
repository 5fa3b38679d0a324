#!/bin/sh
# GPU device benchmark (issue 9): on a machine with CUDA (tfjs-node-gpu) or a hardware WebGPU adapter,
# print which backend the engine picks and why, then measure the same training-throughput table as
# `npm run bench` with the engine's own backend choice. Takes a few minutes on a GPU.
#
#   sh bench/gpu/run.sh            # small encoder (quick)
#   sh bench/gpu/run.sh --full     # + ResNet-18-CIFAR
#
# Results land in bench/results/train.json and the training table of docs/BENCHMARKS.md (the
# backend column says which backend ran); rename/keep the JSON before running the CPU suite again.
# The PyTorch engine's GPU comparison (issue 15) needs no Node: /usr/bin/python3 bench/gpu/pytorch_engine.py
set -eu
cd "$(dirname "$0")/../.."
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
echo "== cwb doctor" >&2
npx --no-install cwb --home "$home" doctor
mode="--quick"
if [ "${1:-}" = "--full" ]; then mode=""; fi
# shellcheck disable=SC2086
npx --no-install tsx bench/run.ts $mode --only train --backend auto
