/**
 * Tile for the wasm backend as block copies (TypedArray.set / copyWithin) instead of tfjs-backend-wasm
 * 4.22's per-element index loop. tfjs's batch-norm gradient tiles 1/√var to the full activation shape
 * once per layer and step, which made Tile one of the largest items in the DCGAN profile.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type TensorInfo } from './heap';

type Typed = Float32Array | Int32Array | Uint8Array;

/** Write `src` (shape `inShape`) tiled `reps` times per axis into `dst`. */
export function tileInto(src: Typed, dst: Typed, inShape: number[], reps: number[]): void {
  const rank = inShape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const outShape = inShape.map((d, i) => d * reps[i]);
  const outBlock = new Array<number>(rank + 1).fill(1);
  const inBlock = new Array<number>(rank + 1).fill(1);
  for (let i = rank - 1; i >= 0; i--) {
    outBlock[i] = outBlock[i + 1] * outShape[i];
    inBlock[i] = inBlock[i + 1] * inShape[i];
  }
  const fill = (axis: number, inOff: number, outOff: number): void => {
    const n = inShape[axis];
    if (axis === rank - 1) {
      if (n === 1) {
        dst.fill(src[inOff], outOff, outOff + reps[axis]);
        return;
      }
      dst.set(src.subarray(inOff, inOff + n), outOff);
    } else {
      for (let i = 0; i < n; i++)
        fill(axis + 1, inOff + i * inBlock[axis + 1], outOff + i * outBlock[axis + 1]);
    }
    const span = n * outBlock[axis + 1];
    for (let r = 1; r < reps[axis]; r++) dst.copyWithin(outOff + r * span, outOff, outOff + span);
  };
  fill(0, 0, 0);
}

export function tileFast(args: {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { reps: number[] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const reps = attrs.reps;
  if (reps.length !== x.shape.length) {
    throw new Error(`Tile: expected ${x.shape.length} reps for shape [${x.shape}], but got [${reps}].`);
  }
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`Tile on wasm supports float32, int32 and bool, but got ${x.dtype}.`);
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) > 0) {
    tileInto(heapView(backend, x), heapView(backend, out), x.shape, reps);
  }
  return out;
}
