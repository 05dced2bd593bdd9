/**
 * A second core for the JavaScript loops of the training kernels (col2im, leading-axis sums). When the
 * wasm heap is a SharedArrayBuffer (the threaded build), worker_threads see the same memory: the work
 * is split in disjoint ranges, one helper worker takes a range while the main thread does the other,
 * and they meet on an Atomics counter. Without shared memory, or with GAN_WASM_THREADS=1, everything
 * runs on the main thread. The worker is unref'd, so it never keeps Node alive.
 */
import { Worker } from 'worker_threads';
import { col2im, type Col2imGeometry } from './col2im';
import { sumRowsRange } from './reduceRows';
import { BPF_WASM_SHARED } from './bpfSimd';

/** Ops the helper knows, by number (the control block carries numbers only). */
const OP_COL2IM = 1;
const OP_SUMROWS = 2;
const OP_BPF = 3;

const CTRL_SEQ = 0; // main → worker: task number
const CTRL_DONE = 1; // worker → main: last finished task number
const CTRL_READY = 2; // worker → main: 1 once it listens
const CTRL_BPF = 3; // worker → main: 1 when it runs bpf.wat too
const PARAMS = 24;

function workerSource(): string {
  return `
const { parentPort } = require('worker_threads');
const col2im = ${col2im.toString()};
const sumRowsRange = ${sumRowsRange.toString()};
parentPort.once('message', ({ memory, ctrlBuf, paramBuf, bpfModule }) => {
  const ctrl = new Int32Array(ctrlBuf);
  const p = new Float64Array(paramBuf);
  let bpf = null;
  try {
    bpf = new WebAssembly.Instance(bpfModule, { env: { memory } }).exports.bpf_tiles;
    Atomics.store(ctrl, ${CTRL_BPF}, 1);
  } catch {}
  let seen = 0;
  Atomics.store(ctrl, ${CTRL_READY}, 1);
  for (;;) {
    Atomics.wait(ctrl, ${CTRL_SEQ}, seen);
    seen = Atomics.load(ctrl, ${CTRL_SEQ});
    const buf = memory.buffer;
    if (p[0] === ${OP_COL2IM}) {
      const cols = new Float32Array(buf, p[1], p[2]);
      const dx = new Float32Array(buf, p[3], p[4]);
      col2im(cols, dx, { batch: p[5], inH: p[6], inW: p[7], inC: p[8], outH: p[9], outW: p[10], kh: p[11],
        kw: p[12], sh: p[13], sw: p[14], top: p[15], left: p[16], n0: p[17], n1: p[18] });
    } else if (p[0] === ${OP_SUMROWS}) {
      sumRowsRange(new Float32Array(buf, p[1], p[2]), new Float32Array(buf, p[3], p[4]), p[5], p[6], p[7], p[8], p[9]);
    } else if (p[0] === ${OP_BPF}) {
      bpf(p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17]);
    }
    Atomics.store(ctrl, ${CTRL_DONE}, seen);
    Atomics.notify(ctrl, ${CTRL_DONE});
  }
});
`;
}

interface Helper {
  memory: WebAssembly.Memory;
  ctrl: Int32Array;
  params: Float64Array;
  seq: number;
}

let helper: Helper | null | undefined;

/** Tasks the helper worker has run (tests check the two-core path is taken). */
export const poolStats = { tasks: 0 };

/** The helper for this wasm memory, or null when there is no second core or no shared memory. */
function getHelper(memory: WebAssembly.Memory | undefined, threads: number): Helper | null {
  if (helper !== undefined && (helper === null || helper.memory === memory)) return helper;
  helper = null;
  if (!memory || threads < 2 || !(memory.buffer instanceof SharedArrayBuffer)) return helper;
  const ctrlBuf = new SharedArrayBuffer(16);
  const paramBuf = new SharedArrayBuffer(8 * PARAMS);
  const w = new Worker(workerSource(), { eval: true });
  w.unref();
  let bpfModule: WebAssembly.Module | null = null;
  try {
    bpfModule = new WebAssembly.Module(Buffer.from(BPF_WASM_SHARED, 'base64'));
  } catch {
    // No WebAssembly SIMD: conv2dBackpropFilter.ts does not use bpfParallel then.
  }
  w.postMessage({ memory, ctrlBuf, paramBuf, bpfModule });
  helper = { memory, ctrl: new Int32Array(ctrlBuf), params: new Float64Array(paramBuf), seq: 0 };
  return helper;
}

/**
 * Start a task on the helper (params already written), run `mine` here, then wait for the helper.
 * Until the helper has started listening, `theirs` runs here too.
 */
function split(h: Helper, mine: () => void, theirs: () => void): void {
  if (Atomics.load(h.ctrl, CTRL_READY) !== 1) {
    mine();
    theirs();
    return;
  }
  h.seq += 1;
  Atomics.store(h.ctrl, CTRL_SEQ, h.seq);
  Atomics.notify(h.ctrl, CTRL_SEQ);
  mine();
  while (Atomics.load(h.ctrl, CTRL_DONE) !== h.seq) Atomics.wait(h.ctrl, CTRL_DONE, h.seq - 1, 1000);
  poolStats.tasks += 1;
}

/** What the pool needs to know about the backend's heap. */
export interface HeapInfo {
  memory?: WebAssembly.Memory;
  threads: number;
}

/** col2im over the whole batch, on two cores when possible (split by image: disjoint outputs). */
export function col2imParallel(
  heap: HeapInfo,
  cols: Float32Array,
  dx: Float32Array,
  g: Col2imGeometry,
): void {
  const h = getHelper(heap.memory, heap.threads);
  const work = g.batch * g.outH * g.outW * g.kh * g.kw * g.inC;
  if (
    !h ||
    g.batch < 2 ||
    work < 1 << 18 ||
    cols.buffer !== h.memory.buffer ||
    dx.buffer !== h.memory.buffer
  ) {
    col2im(cols, dx, { ...g, n0: 0, n1: g.batch });
    return;
  }
  const mid = g.batch >> 1;
  const p = h.params;
  p.set([OP_COL2IM, cols.byteOffset, cols.length, dx.byteOffset, dx.length, g.batch, g.inH, g.inW, g.inC]);
  p.set([g.outH, g.outW, g.kh, g.kw, g.sh, g.sw, g.top, g.left, mid, g.batch], 9);
  split(
    h,
    () => col2im(cols, dx, { ...g, n0: 0, n1: mid }),
    () => col2im(cols, dx, { ...g, n0: mid, n1: g.batch }),
  );
}

/** out[j] = scale · Σ_i x[i, j], columns split between two cores when possible. */
export function sumRowsParallel(
  heap: HeapInfo,
  x: Float32Array,
  out: Float32Array,
  outer: number,
  inner: number,
  scale: number,
): void {
  const h = getHelper(heap.memory, heap.threads);
  if (
    !h ||
    inner < 8 ||
    outer * inner < 1 << 18 ||
    x.buffer !== h.memory.buffer ||
    out.buffer !== h.memory.buffer
  ) {
    sumRowsRange(x, out, outer, inner, scale, 0, inner);
    return;
  }
  const mid = inner >> 1;
  h.params.set([
    OP_SUMROWS,
    x.byteOffset,
    x.length,
    out.byteOffset,
    out.length,
    outer,
    inner,
    scale,
    mid,
    inner,
  ]);
  split(
    h,
    () => sumRowsRange(x, out, outer, inner, scale, 0, mid),
    () => sumRowsRange(x, out, outer, inner, scale, mid, inner),
  );
}

/** The arguments of bpf.wat's bpf_tiles after the tile range: pointers and strides in bytes. */
export type BpfArgs = [
  xp: number,
  dy: number,
  dw: number,
  n: number,
  imgX: number,
  rowX: number,
  oh: number,
  ow: number,
  co: number,
  stepY: number,
  stepX: number,
  groups: number,
  nb: number,
  pixB: number,
  colB: number,
];

/**
 * bpf.wat's tiles [0, tiles) of the conv weight gradient, split in two halves between this thread and the helper
 * when there is one (disjoint rows of dW, each summed in the same order either way).
 */
export function bpfParallel(
  heap: HeapInfo,
  tilesFn: (...a: number[]) => void,
  args: BpfArgs,
  tiles: number,
  work: number,
): void {
  const h = getHelper(heap.memory, heap.threads);
  if (!h || tiles < 2 || work < 1 << 18 || Atomics.load(h.ctrl, CTRL_BPF) !== 1) {
    tilesFn(...args, 0, tiles);
    return;
  }
  const mid = tiles >> 1;
  h.params.set([OP_BPF, ...args, mid, tiles]);
  split(
    h,
    () => tilesFn(...args, 0, mid),
    () => tilesFn(...args, mid, tiles),
  );
}
