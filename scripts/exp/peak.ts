// What WebAssembly SIMD can reach on this CPU, one thread: a GEMM micro-kernel (MR rows × 8 columns of C in
// registers; per k: MR splats of A, two vectors of B, 2·MR multiplies and 2·MR adds, as XNNPACK's wasmsimd
// "loadsplat" kernels do) on operands that stay in L1, written as WebAssembly text and compiled with wabt.
// Variants: plain SIMD (f32x4.mul + f32x4.add) and relaxed SIMD (f32x4.relaxed_madd, fused on x86 with FMA;
// Node 20 needs --experimental-wasm-relaxed-simd). Beside it, XNNPACK's own product through tfjs (1 and 2
// threads, weights cached) as the practical ceiling of the kernels we call.
// node --experimental-wasm-relaxed-simd node_modules/.bin/tsx scripts/exp/peak.ts
// Native counterparts: scripts/exp/peak.c (gcc: the same micro-kernel in SSE and in AVX-512 FMA) and
// scripts/exp/peak_torch.py (PyTorch's sgemm and a DCGAN-64 layer at 1 thread).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';

const K = 256; // A: K×MR floats, B: K×8: 8–14 KB, L1-resident

function wat(mr: number, fused: boolean): string {
  const acc = (r: number, h: number) => `$c${r}${h}`;
  const locals = [];
  for (let r = 0; r < mr; r++)
    locals.push(`(local ${acc(r, 0)} v128) (local ${acc(r, 1)} v128) (local $a${r} v128)`);
  const body = [];
  for (let r = 0; r < mr; r++)
    body.push(`(local.set $a${r} (v128.load32_splat offset=${4 * r} (local.get $pa)))`);
  body.push(
    '(local.set $b0 (v128.load (local.get $pb)))',
    '(local.set $b1 (v128.load offset=16 (local.get $pb)))',
  );
  for (let r = 0; r < mr; r++)
    for (const h of [0, 1]) {
      const c = acc(r, h);
      body.push(
        fused
          ? `(local.set ${c} (f32x4.relaxed_madd (local.get $a${r}) (local.get $b${h}) (local.get ${c})))`
          : `(local.set ${c} (f32x4.add (local.get ${c}) (f32x4.mul (local.get $a${r}) (local.get $b${h}))))`,
      );
    }
  let sum = `(local.get ${acc(0, 0)})`;
  for (let r = 0; r < mr; r++)
    for (const h of [0, 1]) if (r + h > 0) sum = `(f32x4.add ${sum} (local.get ${acc(r, h)}))`;
  return `(module
  (memory (export "mem") 1)
  (func (export "run") (param $k i32) (param $reps i32) (result f32)
    (local $i i32) (local $pa i32) (local $pb i32) (local $b0 v128) (local $b1 v128)
    ${locals.join('\n    ')}
    (block $done (loop $rep
      (br_if $done (i32.eqz (local.get $reps)))
      (local.set $pa (i32.const 0))
      (local.set $pb (i32.const 16384))
      (local.set $i (local.get $k))
      (loop $kk
        ${body.join('\n        ')}
        (local.set $pa (i32.add (local.get $pa) (i32.const ${4 * mr})))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br_if $kk (local.get $i)))
      (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
      (br $rep)))
    (f32x4.extract_lane 0 ${sum})))`;
}

async function kernel(mr: number, fused: boolean): Promise<number | string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wabt = await require('wabt')();
  let buffer: Uint8Array;
  try {
    const m = wabt.parseWat('peak.wat', wat(mr, fused), { simd: true, relaxed_simd: true });
    buffer = m.toBinary({}).buffer;
    m.destroy();
  } catch (e) {
    return `wabt: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!WebAssembly.validate(buffer)) return 'not supported by this runtime';
  const { instance } = await WebAssembly.instantiate(buffer);
  const run = instance.exports.run as (k: number, reps: number) => number;
  const mem = new Float32Array((instance.exports.mem as WebAssembly.Memory).buffer);
  for (let i = 0; i < 4096 + 8 * K; i++) mem[i] = 1e-3 * ((i % 7) - 3);
  run(K, 2000); // tier up
  let best = 0;
  for (let t = 0; t < 5; t++) {
    const reps = 40000;
    const t0 = performance.now();
    run(K, reps);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (2 * mr * 8 * K * reps) / s / 1e9);
  }
  return best;
}

async function xnnpack(n: number): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
  let best = 0;
  for (let t = 0; t < 5; t++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    best = Math.max(best, (2 * n * n * n) / ((performance.now() - t0) / 1000) / 1e9);
    c.dispose();
  }
  a.dispose();
  b.dispose();
  return best;
}

async function main() {
  const g = (x: number | string) => (typeof x === 'number' ? `${x.toFixed(1)} GFLOP/s` : x);
  for (const mr of [4, 6])
    for (const fused of [false, true])
      console.log(
        `wasm micro-kernel ${mr}×8, ${fused ? 'relaxed_madd' : 'mul + add'}, 1 thread: ${g(await kernel(mr, fused))}`,
      );
  const r = await initBackend({ force: 'wasm' });
  console.log(`tfjs: ${r.device}`);
  for (const n of [512, 1024]) console.log(`XNNPACK matMul ${n}³, weights cached: ${g(await xnnpack(n))}`);
}
main();
