/**
 * A second core for the training kernels we run outside XNNPACK: the JavaScript loops (col2im, leading-axis
 * sums) and conv.wat's direct convolutions and matrix products. When the wasm heap is a SharedArrayBuffer (the threaded build),
 * worker_threads see the same memory: the work is split in disjoint ranges — two halves for the loops, pieces
 * that both threads claim from a shared counter for conv.wat — and they meet on an Atomics counter. Without
 * shared memory, or with GAN_WASM_THREADS=1, everything runs on the main thread. The worker is unref'd, so it
 * never keeps Node alive.
 */
import { Worker } from 'worker_threads';
import { col2im, type Col2imGeometry } from './col2im';
import { sumRowsRange } from './reduceRows';
import { CONV_WASM_SHARED } from './convSimd';

/** Ops the helper knows, by number (the control block carries numbers only). */
const OP_COL2IM = 1;
const OP_SUMROWS = 2;
const OP_BPF = 3;
const OP_CONV = 4;
const OP_MM = 5;

const CTRL_SEQ = 0; // main → worker: task number
const CTRL_DONE = 1; // worker → main: last finished task number
const CTRL_READY = 2; // worker → main: 1 once it listens
const CTRL_BPF = 3; // worker → main: 1 when it runs conv.wat too
const CTRL_NEXT = 4; // both: the next piece of a conv.wat task to claim
const PARAMS = 32;

function workerSource(): string {
  return `
const { parentPort } = require('worker_threads');
const col2im = ${col2im.toString()};
const sumRowsRange = ${sumRowsRange.toString()};
const claimPieces = ${claimPieces.toString()};
const claimRects = ${claimRects.toString()};
parentPort.once('message', ({ memory, ctrlBuf, paramBuf, convModule }) => {
  const ctrl = new Int32Array(ctrlBuf);
  const p = new Float64Array(paramBuf);
  let bpf = null; // conv.wat's bpf_tiles and conv_tiles
  let conv = null;
  let mm = null;
  try {
    const direct = new WebAssembly.Instance(convModule, { env: { memory } }).exports;
    bpf = direct.bpf_tiles;
    conv = direct.conv_tiles;
    mm = direct.mm_tiles;
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
      claimPieces(ctrl, ${CTRL_NEXT}, bpf, Array.from(p.subarray(1, ${1 + BPF_ARGS})), p[${1 + BPF_ARGS}], p[${2 + BPF_ARGS}]);
    } else if (p[0] === ${OP_CONV}) {
      claimPieces(ctrl, ${CTRL_NEXT}, conv, Array.from(p.subarray(1, ${1 + CONV_ARGS})), p[${1 + CONV_ARGS}], p[${2 + CONV_ARGS}]);
    } else if (p[0] === ${OP_MM}) {
      claimRects(ctrl, ${CTRL_NEXT}, mm, Array.from(p.subarray(1, ${1 + MM_ARGS})), p[${1 + MM_ARGS}], p[${2 + MM_ARGS}], p[${3 + MM_ARGS}], p[${4 + MM_ARGS}]);
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
  const ctrlBuf = new SharedArrayBuffer(32);
  const paramBuf = new SharedArrayBuffer(8 * PARAMS);
  const w = new Worker(workerSource(), { eval: true });
  w.unref();
  let convModule: WebAssembly.Module | null = null;
  try {
    convModule = new WebAssembly.Module(Buffer.from(CONV_WASM_SHARED, 'base64'));
  } catch {
    // No WebAssembly SIMD: conv2dBackpropFilter.ts does not use bpfParallel then.
  }
  w.postMessage({ memory, ctrlBuf, paramBuf, convModule });
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

/**
 * Run `fn(...args, t0, t1)` over pieces of the tile range [0, tiles) until none is left, claiming each piece from
 * the counter ctrl[next] (shared by the two threads, so the faster one takes more). Self-contained: shipped to the
 * helper as source.
 */
export function claimPieces(
  ctrl: Int32Array,
  next: number,
  fn: (...a: number[]) => void,
  args: number[],
  tiles: number,
  pieces: number,
): void {
  for (;;) {
    const i = Atomics.add(ctrl, next, 1);
    if (i >= pieces) return;
    fn(...args, Math.floor((i * tiles) / pieces), Math.floor(((i + 1) * tiles) / pieces));
  }
}

/**
 * Run `fn(...args, t0, t1, j0, j1)` over the rectangles of a grid of pt × pb pieces of tiles [0, tiles) × blocks
 * [0, blocks), claiming each from the counter ctrl[next] like claimPieces. Self-contained: shipped to the helper as
 * source.
 */
export function claimRects(
  ctrl: Int32Array,
  next: number,
  fn: (...a: number[]) => void,
  args: number[],
  tiles: number,
  blocks: number,
  pt: number,
  pb: number,
): void {
  for (;;) {
    const i = Atomics.add(ctrl, next, 1);
    if (i >= pt * pb) return;
    const ti = i % pt;
    const bi = (i - ti) / pt;
    fn(
      ...args,
      Math.floor((ti * tiles) / pt),
      Math.floor(((ti + 1) * tiles) / pt),
      Math.floor((bi * blocks) / pb),
      Math.floor(((bi + 1) * blocks) / pb),
    );
  }
}

/** The arguments of conv.wat's bpf_tiles before the tile range: pointers and strides in bytes. */
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
const BPF_ARGS = 15;
/** conv_tiles takes 23 arguments before the tile range (src/backend/wasm/directConv.ts). */
const CONV_ARGS = 23;

/** mm_tiles takes 10 arguments before the tile and block ranges (src/backend/wasm/directMatMul.ts). */
const MM_ARGS = 10;

/** Pieces a conv.wat task is cut into: enough that a slower core takes fewer of them. */
const PIECES = 16;

/**
 * A conv.wat task on this thread and the helper, each running `claim` until no piece is left (the helper gets
 * `params`: op, arguments, ranges); `alone` here instead where there is no helper, too little work or one piece.
 */
function shareTask(
  heap: HeapInfo,
  pieces: number,
  work: number,
  params: number[],
  claim: (ctrl: Int32Array) => void,
  alone: () => void,
): void {
  const h = getHelper(heap.memory, heap.threads);
  if (!h || pieces < 2 || work < 1 << 18 || Atomics.load(h.ctrl, CTRL_BPF) !== 1) {
    alone();
    return;
  }
  Atomics.store(h.ctrl, CTRL_NEXT, 0);
  h.params.set(params);
  const run = () => claim(h.ctrl);
  split(h, run, run);
}

/**
 * `tilesFn` of conv.wat over tiles [0, tiles), on this thread and the helper when there is one: each claims pieces
 * of the range until none is left (disjoint outputs, every tile summed in the same order whoever runs it).
 */
function tilesParallel(
  heap: HeapInfo,
  op: number,
  tilesFn: (...a: number[]) => void,
  args: number[],
  tiles: number,
  work: number,
): void {
  const pieces = Math.min(tiles, PIECES);
  shareTask(
    heap,
    pieces,
    work,
    [op, ...args, tiles, pieces],
    (ctrl) => claimPieces(ctrl, CTRL_NEXT, tilesFn, args, tiles, pieces),
    () => tilesFn(...args, 0, tiles),
  );
}

/** conv.wat's bpf_tiles (the conv weight gradient) over tiles [0, tiles), on two cores when there are two. */
export function bpfParallel(
  heap: HeapInfo,
  tilesFn: (...a: number[]) => void,
  args: BpfArgs,
  tiles: number,
  work: number,
): void {
  tilesParallel(heap, OP_BPF, tilesFn, args, tiles, work);
}

/** conv.wat's conv_tiles (a direct convolution) over pixel tiles [0, tiles), on two cores when there are two. */
export function convParallel(
  heap: HeapInfo,
  tilesFn: (...a: number[]) => void,
  args: number[],
  tiles: number,
  work: number,
): void {
  if (args.length !== CONV_ARGS)
    throw new Error(`conv_tiles takes ${CONV_ARGS} arguments, got ${args.length}.`);
  tilesParallel(heap, OP_CONV, tilesFn, args, tiles, work);
}

/**
 * conv.wat's mm_tiles (a matrix product) over tiles [0, tiles) × blocks [0, blocks) cut in a grid of pt × pb pieces,
 * on two cores when there are two (disjoint outputs, every sum in the same order whoever runs it).
 */
export function mmParallel(
  heap: HeapInfo,
  mmFn: (...a: number[]) => void,
  args: number[],
  tiles: number,
  blocks: number,
  pt: number,
  pb: number,
  work: number,
): void {
  if (args.length !== MM_ARGS) throw new Error(`mm_tiles takes ${MM_ARGS} arguments, got ${args.length}.`);
  shareTask(
    heap,
    pt * pb,
    work,
    [OP_MM, ...args, tiles, blocks, pt, pb],
    (ctrl) => claimRects(ctrl, CTRL_NEXT, mmFn, args, tiles, blocks, pt, pb),
    () => mmFn(...args, 0, tiles, 0, blocks),
  );
}
