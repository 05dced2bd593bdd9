// conv.wat's conv_tiles on one thread, alone, as committed (one input channel per loop iteration) against the same
// loop unrolled over 4 channels (static offsets, pointers bumped once per 4): GFLOP/s on three DCGAN-64 phase
// geometries, operands synthetic. Compiled here with wabt. npx tsx scripts/exp/convunroll.ts
import * as fs from 'fs';
import * as path from 'path';

type Conv = { conv_tiles: (...a: number[]) => void };

const src = fs.readFileSync(path.join(__dirname, '../../src/backend/wasm/conv.wat'), 'utf8');
const fn = src.slice(src.indexOf('  (func (export "conv_tiles")'), src.indexOf('  ;; dst[b][r][0..8)'));
const loop = fn.slice(fn.indexOf('(loop $chans'), fn.indexOf('(br_if $chans'));

/** The channel loop's body unrolled over 4 channels: loads at static offsets, pointers bumped once. */
function unrolled(): string {
  const step = loop.slice(loop.indexOf('(local.set $b0'), loop.indexOf('(local.set $pw (i32.add'));
  let body = '';
  for (let u = 0; u < 4; u++)
    body += step
      .replace('(v128.load (local.get $pw))', `(v128.load offset=${32 * u} (local.get $pw))`)
      .replace('(v128.load offset=16 (local.get $pw))', `(v128.load offset=${32 * u + 16} (local.get $pw))`)
      .replace(
        /\(v128\.load32_splat \(local\.get \$a(\d)\)\)/g,
        `(v128.load32_splat offset=${4 * u} (local.get $a$1))`,
      );
  const bumps = loop
    .slice(loop.indexOf('(local.set $pw (i32.add'))
    .replace('(i32.const 32)', '(i32.const 128)')
    .replace(/\(i32\.const 4\)\)\)/g, '(i32.const 16)))');
  return fn
    .replace(loop, '(loop $chans\n' + body + bumps)
    .replace('(local.set $cc (local.get $c))', '(local.set $cc (i32.shr_u (local.get $c) (i32.const 2)))');
}

async function compile(func: string, memory: WebAssembly.Memory): Promise<Conv> {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('conv.wat', `(module (import "env" "memory" (memory 1 65536))\n${func})`, {
    simd: true,
  });
  const bytes = mod.toBinary({}).buffer;
  mod.destroy();
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
    .exports as unknown as Conv;
}

/** GFLOP/s of a stride-1 th×th convolution, [n, H+th−1, H+th−1, c] → [n, H, H, k], median of 5 calls. */
function gflops(conv: Conv, n: number, h: number, c: number, k: number, th: number): number {
  const hp = h + th - 1;
  const rowX = hp * c * 4;
  const w = n * hp * rowX + 64;
  const y = w + th * th * c * k * 4 + 64;
  const pixels = n * h * h;
  const args = [
    0,
    w,
    y,
    pixels,
    h,
    h,
    hp * rowX,
    rowX,
    c * 4,
    th,
    th,
    rowX,
    c * 4,
    th * th * c * 32,
    0,
  ].concat([th * c * 32, c * 32, c, k, h * h * k * 4, h * k * 4, k * 4, 16, 0, Math.ceil(pixels / 4)]);
  conv.conv_tiles(...args);
  const ms: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    conv.conv_tiles(...args);
    ms.push(performance.now() - t0);
  }
  return (2 * pixels * th * th * c * k) / ms.sort((a, b) => a - b)[2] / 1e6;
}

async function main() {
  const memory = new WebAssembly.Memory({ initial: 2048, maximum: 65536 });
  new Float32Array(memory.buffer).forEach((_, i, a) => (a[i] = (i % 7) * 0.1));
  const kernels: Array<[string, Conv]> = [
    ['one channel per iteration (committed)', await compile(fn, memory)],
    ['unrolled over 4 channels', await compile(unrolled(), memory)],
  ];
  for (let round = 0; round < 2; round++)
    for (const [name, conv] of kernels) {
      const g = [
        gflops(conv, 64, 8, 256, 128, 2),
        gflops(conv, 64, 4, 512, 256, 2),
        gflops(conv, 64, 8, 32, 16, 2),
      ];
      console.log(
        `${name}: D3 dx phase ${g[0].toFixed(1)}, G2 phase ${g[1].toFixed(1)}, small ${g[2].toFixed(1)} GFLOP/s`,
      );
    }
}
main();
