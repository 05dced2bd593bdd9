#!/usr/bin/env bash
# GPU verification, run ON the device machine from the repo root with .gpu/ carried (see pack.sh):
#   1. backend report (which GPU, which rung), 2. kernels + training steps vs cpu on the GPU backend,
#   3. dcgan-64 batch 128 img/s: ours (webgpu) and PyTorch eager (cuda) in the same call, with the ratio,
#   4. a short real training run of tutorial 03's quick profile (dcgan-64 on a small CelebA stand-in).
# Writes everything to $OUT (or ./gpu-out) so it comes back.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/gpu-out}; mkdir -p "$OUT"
g=.gpu
for f in $g/debs/*.deb; do dpkg -x "$f" /; done; ldconfig
if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
[ -x $g/node ] || { xz -dc $g/node.xz > $g/node; chmod +x $g/node; }
[ -f $g/dawn.node ] || xz -dc $g/dawn.node.xz > $g/dawn.node
[ -d $g/node_modules ] || { mkdir -p $g/node_modules && tar -C $g/node_modules -xJf $g/canvas.tar.xz; }
export GAN_DAWN_NODE=$PWD/$g/dawn.node NODE_PATH=$PWD/$g/node_modules TF_FORCE_GPU_ALLOW_GROWTH=true
gan() { $g/node $g/gan.js "$@"; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/gpu.txt"
gan doctor --json | tee "$OUT/doctor.json"
GAN_BACKEND=webgpu gan check-backend --json | tee "$OUT/check.json"
{
  GAN_BACKEND=webgpu gan bench --model dcgan-64 --batch 128 --steps 10 --json
  python3 $g/pytorch_reference.py --model dcgan-64 --batch 128 --steps 10 --device cuda
} 2>&1 | tee "$OUT/bench.jsonl"
python3 - "$OUT/bench.jsonl" <<'PY' | tee "$OUT/ratio.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
ours = next((r for r in rows if r.get('backend') == 'webgpu'), None)
peer = next((r for r in rows if r.get('framework')), None)
if ours and peer:
    print(f"dcgan-64 batch 128: webgpu {ours['imgPerSec']:.0f} img/s, PyTorch {peer['imgPerSec']:.0f} img/s, ratio {ours['imgPerSec'] / peer['imgPerSec']:.2f}x")
else:
    print('missing a result:', rows)
PY
gan data standin --out /tmp/standin --count 2048 --seed 1 >/dev/null
GAN_BACKEND=webgpu gan train --model dcgan-64 --dataset celeba --dir /tmp/standin --out /tmp/run03 \
  --epochs 2 --batch-size 128 --no-progress 2>&1 | tail -5 | tee "$OUT/train.txt"
cp /tmp/run03/samples/*.png "$OUT/" 2>/dev/null | head -1
