/**
 * A small seeded PRNG (mulberry32) whose whole state is one uint32, so checkpoints can save and
 * restore it exactly. Used for shuffling, splits and anything else that must be reproducible.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Expected a finite numeric seed, but got ${seed}.`);
    this.state = seed >>> 0;
  }

  /** The full state; `new Rng(0).setState(s)` continues the exact same sequence. */
  getState(): number {
    return this.state;
  }

  setState(state: number): this {
    this.state = state >>> 0;
    return this;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal via Box–Muller. */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A uint32 for seeding other generators (e.g. tfjs ops that take a seed). */
  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A shuffled permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }
}
