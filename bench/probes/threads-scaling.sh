#!/usr/bin/env bash
# wasm XNNPACK threads 1 vs 2 beside the PyTorch peer (2 threads), alternating, on an idle machine.
cd "$(dirname "$0")/../.."
for enc in "small 64" "resnet18-cifar 16"; do
  set -- $enc
  for round in 1 2 3; do
    for t in 1 2; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      r=$(npx --no-install cwb bench train --method simclr --encoder $1 --batch-size $2 --image-size 32 --steps 6 --warmup 2 --backend wasm --wasm-threads $t --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["imagesPerSecond"], d.get("threads"), d["peakRssMB"])')
      echo "$1 N=$2 round=$round wasm threads=$t load=$load -> $r"
    done
    load=$(cut -d' ' -f1 /proc/loadavg)
    p=$(/usr/bin/python3 bench/peers/simclr_step.py --encoder $1 --batch-size $2 --image-size 32 --steps 6 --warmup 2 --threads 2 2>/dev/null | tail -1 | python3 -c "import json,sys; d=json.load(sys.stdin); print(d[\"imagesPerSecond\"], d[\"peakRssMB\"])")
    echo "$1 N=$2 round=$round pytorch threads=2 load=$load -> $p"
  done
done
