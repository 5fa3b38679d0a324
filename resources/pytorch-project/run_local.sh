#!/usr/bin/env bash
# Train on this machine with 2 CPU ranks (gloo) for a few steps, then write encoder.onnx beside
# this script. Usage: ./run_local.sh [image-folder]   (default: the dataset's own folder)
# Environment: PYTHON (default python3), STEPS (default 3), WORKERS (default 0).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
DEFAULT_DATA={{DATA_ROOT_QUOTED}}
DATA="${1:-$DEFAULT_DATA}"
STEPS="${STEPS:-3}"
cd "$HERE"
# torchrun, spelled as a module so PYTHON picks the interpreter. "--redirects 2 --tee 2" sidesteps a
# torch 1.13 + Python 3.11 bug in parsing the default "0" (Std.from_str returns None).
"$PYTHON" -m torch.distributed.run --standalone --nnodes=1 --nproc_per_node=2 --redirects 2 --tee 2 \
  train.py --data "$DATA" --out "$HERE/output" --device cpu --epochs {{EPOCHS}} --max-steps "$STEPS" --workers "${WORKERS:-0}"
"$PYTHON" export_onnx.py --checkpoint "$HERE/output/encoder.pt" --out "$HERE/encoder.onnx"
