#!/usr/bin/env bash
# Side-by-side training throughput: `gan bench` (tfjs, default backend: the ladder's choice, usually
# wasm) against the PyTorch peer ../shared/bench/pytorch_reference.py (beside the repository), same models, same step
# protocol, same machine, interleaved so both see the same load. Prints every JSON line and a table
# of median img/s and ratios.
# Usage: scripts/bench-vs-pytorch.sh [--models "mlp-gan-mnist dcgan-28 dcgan-64"] [--repeats 3]
#        [--steps 5] [--batch 64] [--backend wasm] [--peer-threads "default 2"] [--tfjs-threads "default"]
# --steps: timed steps per run, one number for every model or per model ("mlp-gan-mnist=60 dcgan-64=20": models
# not named take 5).
# --peer-threads: PyTorch thread counts to run (OMP_NUM_THREADS); "default" leaves it unset (Debian's
# torch then uses 1 thread on a 2-core VM). --tfjs-threads: GAN_WASM_THREADS values for the wasm
# backend ("default": one per core). Ratios are given for each pair.
# Env: PYTHON (default /usr/bin/python3, Debian's python3-torch), PEER (path of the peer script).
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS="mlp-gan-mnist dcgan-28 dcgan-64"
REPEATS=3
STEPS=5
BATCH=64
BACKEND=""
PEER_THREADS="default 2"
TFJS_THREADS="default"
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --backend) BACKEND="$2"; shift 2 ;;
    --peer-threads) PEER_THREADS="$2"; shift 2 ;;
    --tfjs-threads) TFJS_THREADS="$2"; shift 2 ;;
    *) echo "bench-vs-pytorch: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
PYTHON="${PYTHON:-/usr/bin/python3}"
PEER="${PEER:-$(cd "$(dirname "$0")/.." && pwd)/../shared/bench/pytorch_reference.py}"
if [ ! -f "$PEER" ]; then
  echo "bench-vs-pytorch: peer script $PEER not found (set PEER=/path/to/pytorch_reference.py)" >&2
  exit 2
fi
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "bench-vs-pytorch: $PYTHON cannot import torch (apt-get install python3-torch, or set PYTHON)" >&2
  exit 2
fi
# bin/gan.js runs the compiled CLI: build it (errors elsewhere in the tree do not stop tsc emitting).
npx tsc -p . >/dev/null 2>&1 || echo "bench-vs-pytorch: tsc reported errors; using what it emitted" >&2

# Timed steps for model $1: --steps is one number, or model=steps pairs (5 for a model not named).
steps_for() {
  case "$STEPS" in
    *=*)
      for pair in $STEPS; do
        if [ "${pair%%=*}" = "$1" ]; then echo "${pair#*=}"; return; fi
      done
      echo 5 ;;
    *) echo "$STEPS" ;;
  esac
}

OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
BACKEND_ARGS=()
[ -n "$BACKEND" ] && BACKEND_ARGS=(--backend "$BACKEND")
echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, node $(node -v)"
for r in $(seq 1 "$REPEATS"); do
  for m in $MODELS; do
    steps="$(steps_for "$m")"
    for t in $PEER_THREADS; do
      if [ "$t" = default ]; then
        "$PYTHON" "$PEER" --model "$m" --batch "$BATCH" --steps "$steps" | tee -a "$OUT"
      else
        OMP_NUM_THREADS="$t" "$PYTHON" "$PEER" --model "$m" --batch "$BATCH" --steps "$steps" | tee -a "$OUT"
      fi
    done
    for t in $TFJS_THREADS; do
      if [ "$t" = default ]; then
        node bin/gan.js bench --model "$m" --batch "$BATCH" --steps "$steps" --json "${BACKEND_ARGS[@]}" 2>/dev/null | tee -a "$OUT"
      else
        GAN_WASM_THREADS="$t" node bin/gan.js bench --model "$m" --batch "$BATCH" --steps "$steps" --json \
          "${BACKEND_ARGS[@]}" 2>/dev/null | tee -a "$OUT"
      fi
    done
  done
done
node - "$OUT" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const models = [...new Set(lines.map((l) => l.model))];
const threads = [...new Set(lines.filter((l) => l.framework).map((l) => l.threads))].sort();
// Our runs, grouped by backend and thread count (from the device string, e.g. "SIMD, 2 threads").
const variant = (l) => `${l.backend}${/(\d+) threads?\)/.test(l.device) ? `, ${/(\d+) threads?\)/.exec(l.device)[1]} thr` : ''}`;
const variants = [...new Set(lines.filter((l) => l.backend).map(variant))].sort();
console.log('\n| model | tfjs | tfjs img/s | ' + threads.map((t) => `PyTorch ${t} thr img/s | ratio`).join(' | ') + ' |');
console.log('|---|---|---|' + threads.map(() => '---|---|').join(''));
for (const m of models) {
  for (const v of variants) {
    const ours = lines.filter((l) => l.model === m && l.backend && variant(l) === v);
    if (!ours.length) continue;
    const a = median(ours.map((l) => l.imgPerSec));
    const cells = threads.map((t) => {
      const peer = lines.filter((l) => l.model === m && l.framework && l.threads === t);
      if (!peer.length) return '– | –';
      const b = median(peer.map((l) => l.imgPerSec));
      return `${b.toFixed(1)} | ${(a / b).toFixed(2)}×`;
    });
    console.log(`| ${m} | ${v} | ${a.toFixed(1)} | ${cells.join(' | ')} |`);
  }
}
console.log('\n(medians over the repeats)');
JS
