#!/usr/bin/env bash
# Train on this machine with 2 CPU ranks (gloo) for a few steps, then write encoder.onnx beside
# this script. Usage: ./run_local.sh [image-folder]   (default: the dataset's own folder)
# Environment: PYTHON (default python3), STEPS (default 3), WORKERS (default 0), RDZV_PORT (default: a
# free port on 127.0.0.1 — torch 1.13's --standalone pins 29400, so two runs at once would collide).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
DEFAULT_DATA={{DATA_ROOT_QUOTED}}
DATA="${1:-$DEFAULT_DATA}"
STEPS="${STEPS:-3}"
RDZV_PORT="${RDZV_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
cd "$HERE"
# torchrun, spelled as a module so PYTHON picks the interpreter. "--redirects 2 --tee 2" sidesteps a
# torch 1.13 + Python 3.11 bug in parsing the default "0" (Std.from_str returns None).
"$PYTHON" -m torch.distributed.run --nnodes=1 --rdzv_backend=c10d --rdzv_endpoint="127.0.0.1:$RDZV_PORT" \
  --rdzv_id="local-$RDZV_PORT" --nproc_per_node=2 --redirects 2 --tee 2 \
  train.py --data "$DATA" --out "$HERE/output" --device cpu --epochs {{EPOCHS}} --max-steps "$STEPS" --workers "${WORKERS:-0}"
"$PYTHON" export_onnx.py --checkpoint "$HERE/output/encoder.pt" --out "$HERE/encoder.onnx"
