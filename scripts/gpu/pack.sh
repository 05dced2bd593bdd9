#!/usr/bin/env bash
# Prepare .gpu/ for a GPU verification run on a machine with no network and no Node (the device tool):
# a compressed Node binary, the `gan` CLI bundled into one file with tfjs and the WebGPU backend,
# Dawn's addon, @napi-rs/canvas's addon (PNG grids), the PyTorch peer script, and the Vulkan loader
# packages. Everything lands in .gpu/ (git-ignored via .git/info/exclude), under the 64 MiB carry limit.
# Then: device run with carry [".gpu"] and command `bash scripts/gpu/check.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf "$out" && mkdir -p "$out/debs"
npm run build >/dev/null
npx esbuild scripts/gpu/entry.js --bundle --platform=node --target=node20 --minify --outfile="$out/gan.js" \
  --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --external:@tensorflow/tfjs-backend-wasm \
  --external:webgpu --external:sharp --external:@napi-rs/canvas --external:@napi-rs/canvas-linux-x64-gnu \
  --log-level=warning
xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/dawn.node.xz"
# @napi-rs/canvas resolves its platform addon by package name: carry both packages as a tiny node_modules.
tar -C node_modules -cJf "$out/canvas.tar.xz" @napi-rs/canvas @napi-rs/canvas-linux-x64-gnu
cp ../shared/bench/pytorch_reference.py "$out/"
# The Vulkan loader (the device README's recipe): Debian packages, unpacked there with dpkg -x.
mkdir -p /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd "$out/debs" && apt-get $o download libvulkan1 >/dev/null)
du -sh "$out" && ls -la "$out"
