#!/usr/bin/env bash
# Issue 20's ratios, for the IDLE machine: tfjs-wasm with default settings (default threads, the
# default filter-gradient kernel) beside the 2-thread PyTorch peer, SimCLR, 32 px, alternating run by
# run, each line with the 1-minute load average before it. Rows: small encoder N = 64 (2N = 128),
# ResNet-18-CIFAR N = 16 (2N = 32) and N = 64 (2N = 128, no gradient caching), with peak RSS.
# About 6 minutes on the 2-core machine; prints one Markdown table at the end (raw lines on stderr).
#
# Usage: bash bench/probes/issue20-ratios.sh [--short]     (--short: 1 round, 1 step: checks it runs)
set -u
cd "$(dirname "$0")/../.." || exit 1
short=0
[ "${1:-}" = "--short" ] && short=1
PY=${CWB_PEER_PYTHON:-/usr/bin/python3}
# encoder, N, rounds, steps, warm-up steps
if [ $short = 1 ]; then
  configs=("small 64 1 1 1" "resnet18-cifar 16 1 1 1" "resnet18-cifar 64 1 1 1")
else
  configs=("small 64 3 6 2" "resnet18-cifar 16 3 3 1" "resnet18-cifar 64 2 2 1")
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT

field() { python3 -c "import json,sys
try:
    d=json.loads(sys.stdin.read().strip().splitlines()[-1]); print(' '.join(str(round(d[k],2)) if isinstance(d.get(k),float) else str(d.get(k,'-')) for k in sys.argv[1:]))
except Exception: print('failed')" "$@"; }

for cfg in "${configs[@]}"; do
  set -- $cfg
  enc=$1 n=$2 rounds=$3 steps=$4 warm=$5
  for round in $(seq 1 "$rounds"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    w=$(timeout 300 npx --no-install cwb --home "$(mktemp -d)" bench train --method simclr --encoder "$enc" --batch-size "$n" --image-size 32 --steps "$steps" --warmup "$warm" --backend wasm --json 2>/dev/null | field imagesPerSecond peakRssMB threads filterKernel inputKernel convKernel)
    echo "$enc $n $round wasm $load $w" | tee -a "$results" >&2
    load=$(cut -d' ' -f1 /proc/loadavg)
    p=$(timeout 300 "$PY" bench/peers/simclr_step.py --encoder "$enc" --batch-size "$n" --image-size 32 --steps "$steps" --warmup "$warm" --threads 2 2>/dev/null | field imagesPerSecond peakRssMB)
    echo "$enc $n $round pytorch $load $p" | tee -a "$results" >&2
  done
done

python3 - "$results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print('| encoder, N (2N views) | engine | images/s per round (load before) | median | peak RSS MB | wasm / PyTorch |')
print('| --- | --- | --- | --: | --: | --: |')
for key in dict.fromkeys((r[0], r[1]) for r in rows):
    med = {}
    for engine in ('wasm', 'pytorch'):
        mine = [r for r in rows if (r[0], r[1]) == key and r[3] == engine]
        ok = [r for r in mine if r[5] not in ('failed', '-')]
        ips = [float(r[5]) for r in ok]
        med[engine] = statistics.median(ips) if ips else None
        runs = ', '.join(f"{r[5]} ({r[4]})" for r in mine)
        rss = '–'.join(sorted({str(round(float(r[6]))) for r in ok if r[6] not in ('-', 'None')})) or '-'
        extra = f" [{ok[0][7]} thread(s), filter gradient {ok[0][8]}, input gradient {ok[0][9]}, 3×3 convolutions {ok[0][10]}]" if engine == 'wasm' and ok and len(ok[0]) > 10 else ''
        ratio = f"**{med['wasm'] / med['pytorch']:.3f}×**" if engine == 'pytorch' and med.get('wasm') and med.get('pytorch') else ''
        print(f"| {key[0]}, {key[1]} ({2 * int(key[1])}) | {engine}{extra} | {runs} | {round(med[engine], 2) if med[engine] is not None else 'failed'} | {rss} | {ratio} |")
EOF
