/**
 * The live training view: ONE notebook output, replaced in place (update_display_data) every
 * `every` steps and on each new sample grid, showing losses, D outputs, the latest fixed-noise
 * grid and step/img·s⁻¹/ETA. It is one PNG, so it needs no JavaScript and never floods the output.
 *   const view = liveTrainingView({ every: 20 });
 *   await train({ model, dataset, numEpochs, callbacks: view.callbacks });   // src/train/engine.ts
 *   view.close(); show(lossChart(view.history)); show(view.animation());
 */
import { createCanvas, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import { animateGrids, Animation, type AnimationOptions } from './animation';
import { drawLineChart } from './canvasChart';
import { COLORS, emaSmooth, type HistoryRecord } from './charts';
import { currentSink, LiveDisplay, type DisplaySink } from './display';
import { imageGrid, type GridOptions } from './imageGrid';
import { Picture } from './picture';
import { decodePng, type TensorLike } from './pixels';

export interface LiveViewOptions {
  /** Redraw every `every` steps (default 20). Sample grids redraw when they arrive. */
  every?: number;
  /** Total steps of the run, for progress and ETA. */
  totalSteps?: number;
  /** Title in the status line (default `Training`). */
  title?: string;
  /** EMA weight of the smoothed loss lines (default 0.9, as lossChart). */
  smoothing?: number;
  /** Grid options for sample tensors (default: nrow ⌈√N⌉, auto scale). */
  grid?: GridOptions;
  /** Where the output goes (default: the tslab kernel, or the console outside one). */
  sink?: DisplaySink;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

/** What the engine reports with each step (src/train/engine.ts TrainProgress); all optional. */
export interface StepProgress {
  totalSteps?: number;
  /** Mean img/s of the run so far (steadier than one step's). */
  imgPerSec?: number;
  /** Seconds left at the current pace. */
  etaSec?: number;
}

/** The training engine's callbacks (src/train/engine.ts TrainCallbacks), wired to the view. */
export interface LiveViewCallbacks {
  onStart(info: { totalSteps: number }): void;
  onStep(record: HistoryRecord, progress?: StepProgress): void;
  onEpochEnd(info: { epoch: number; samples: TensorLike }): Promise<void>;
}

export interface LiveTrainingView {
  /** Every record received, in order. */
  readonly history: readonly HistoryRecord[];
  /** The sample grids received, in order, with their epochs. */
  readonly sampleFrames: readonly Picture[];
  readonly sampleEpochs: readonly (number | undefined)[];
  /** How many times the output was (re)drawn. */
  readonly renders: number;
  /** Record one training step; redraws when `step % every === 0` and at the last step. */
  onStep(record: HistoryRecord, progress?: StepProgress): void;
  /**
   * A new fixed-noise grid: an [N, H, W, C] tensor in [-1, 1] (read at once, so the caller may
   * dispose it when this returns), a Picture, or PNG bytes. Redraws immediately.
   */
  onSamples(samples: TensorLike | Picture | Uint8Array, epoch?: number): Promise<void>;
  /** Pass as `train({ ..., callbacks: view.callbacks })`: steps, totalSteps and epoch samples. */
  readonly callbacks: LiveViewCallbacks;
  /** Draw the final state if anything changed since the last draw; later calls do nothing. */
  close(): void;
  /** The sample grids as an animated GIF, captioned by epoch. */
  /** The per-epoch sample grids as an animation, at most `maxFrames` (default 16) evenly spaced. */
  animation(options?: AnimationOptions & { maxFrames?: number }): Animation;
  /** The dashboard as a picture (what the output shows). */
  snapshot(): Picture;
}

/**
 * A host copy of a tfjs tensor, read with `await data()`: the WebGPU backend in Node has no synchronous
 * read (its dataSync needs OffscreenCanvas). Anything without `data()` (a plain TensorLike) passes through.
 */
async function hostCopy(t: TensorLike): Promise<TensorLike> {
  const read =
    t != null && typeof t === 'object' ? (t as { data?: () => Promise<ArrayLike<number>> }).data : undefined;
  if (typeof read !== 'function' || !Array.isArray(t.shape)) return t;
  const values = await read.call(t);
  return { shape: [...t.shape], dataSync: () => values };
}

/** Layout of the dashboard PNG in pixels. */
const WIDTH = 980;
const STATUS_H = 30;
const CHART_W = 540;
const CHART_H = 215;

/** What the view has received so far: the status line and the dashboard are drawn from it. */
interface ViewState {
  title: string;
  history: HistoryRecord[];
  frames: Picture[];
  epochs: (number | undefined)[];
  totalSteps: number | undefined;
  progress: StepProgress;
  /** Clock and step at the first record (elapsed time and the ETA fallback count from there). */
  startMs: number | undefined;
  startStep: number;
}

export function liveTrainingView(options: LiveViewOptions = {}): LiveTrainingView {
  const every = options.every ?? 20;
  if (!Number.isInteger(every) || every < 1)
    throw new Error(`Expected every to be a positive integer, but got ${every}.`);
  checkTotal(options.totalSteps);
  const smoothing = options.smoothing ?? 0.9;
  const now = options.now ?? (() => Date.now());
  const display = new LiveDisplay(options.sink ?? currentSink());
  const state: ViewState = {
    title: options.title ?? 'Training',
    history: [],
    frames: [],
    epochs: [],
    totalSteps: options.totalSteps,
    progress: {},
    startMs: undefined,
    startStep: 0,
  };
  let renders = 0;
  let closed = false;
  let dirty = false; // something arrived since the last draw

  const status = (): string => statusLine(state, now);
  const snapshot = (): Picture => dashboard(state, status(), smoothing);
  const render = (): void => {
    const pic = snapshot();
    display.update({
      data: { 'image/png': pic.png.toString('base64'), 'text/plain': status() },
      metadata: { 'image/png': { width: pic.width, height: pic.height } },
    });
    renders++;
    dirty = false;
  };
  const addFrame = (pic: Picture, epoch: number | undefined): void => {
    state.frames.push(pic);
    state.epochs.push(epoch);
    if (!closed) render();
  };

  const view: LiveTrainingView = {
    history: state.history,
    sampleFrames: state.frames,
    sampleEpochs: state.epochs,
    get renders() {
      return renders;
    },
    onStep(record, stepProgress) {
      recordStep(state, record, stepProgress, now);
      dirty = true;
      if (!closed && (record.step % every === 0 || record.step === state.totalSteps)) render();
    },
    async onSamples(samples, epoch) {
      if (samples instanceof Uint8Array) {
        addFrame(new Picture(await decodePng(samples)), epoch);
        return;
      }
      addFrame(
        samples instanceof Picture ? samples : imageGrid(await hostCopy(samples), options.grid),
        epoch,
      );
    },
    callbacks: {
      onStart: (info) => {
        checkTotal(info.totalSteps);
        state.totalSteps = info.totalSteps;
      },
      onStep: (record, stepProgress) => view.onStep(record, stepProgress),
      onEpochEnd: (info) => view.onSamples(info.samples, info.epoch),
    },
    close() {
      if (closed) return;
      if (dirty || renders === 0) render();
      closed = true;
    },
    animation: (animOptions = {}) => frameAnimation(state, animOptions),
    snapshot,
  };
  return view;
}

/** Check and keep one step record (and the engine's progress, when given). */
function recordStep(
  s: ViewState,
  record: HistoryRecord,
  stepProgress: StepProgress | undefined,
  now: () => number,
): void {
  if (record == null || !Number.isFinite(record.step)) {
    throw new Error(
      `Expected a step record { step, dLoss, gLoss, dReal, dFake, … }, but got ${JSON.stringify(record)}.`,
    );
  }
  if (s.startMs === undefined) {
    s.startMs = now();
    s.startStep = record.step;
  }
  if (stepProgress) {
    checkTotal(stepProgress.totalSteps);
    s.progress = stepProgress;
    s.totalSteps = stepProgress.totalSteps ?? s.totalSteps;
  }
  s.history.push({ ...record });
}

/** The sample grids as an animation captioned by epoch, at most `maxFrames` (default 16) evenly spaced. */
function frameAnimation(s: ViewState, animOptions: AnimationOptions & { maxFrames?: number }): Animation {
  if (s.frames.length === 0)
    throw new Error('Expected sample grids from onSamples() before making an animation, but got none.');
  const { maxFrames = 16, ...rest } = animOptions;
  const captions = s.epochs.map((e, i) => (e !== undefined ? `epoch ${e}` : `sample ${i + 1}`));
  const keep = evenlySpaced(s.frames.length, maxFrames);
  const pick = <T>(xs: T[]) => keep.map((i) => xs[i]);
  return animateGrids(pick(s.frames), {
    ...rest,
    captions: rest.captions ? pick(rest.captions) : pick(captions),
  });
}

function checkTotal(n: number | undefined): void {
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) {
    throw new Error(`Expected totalSteps to be a positive integer, but got ${n}.`);
  }
}

/** At most `max` of the indices 0…n−1, evenly spaced, the first and last included (keeps animations small). */
function evenlySpaced(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  return [...new Set(Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1))))];
}

/** `Training  ·  step 40/100  ·  epoch 0  ·  640 img/s  ·  elapsed 0:04  ·  ETA 0:06  ·  dLoss …  gLoss …` */
function statusLine(s: ViewState, now: () => number): string {
  const last = s.history[s.history.length - 1];
  const parts = [s.title];
  if (!last) {
    parts.push('waiting for the first step…');
    return parts.join('  ·  ');
  }
  const { totalSteps, progress } = s;
  parts.push(totalSteps ? `step ${last.step}/${totalSteps}` : `step ${last.step}`);
  if (last.epoch !== undefined) parts.push(`epoch ${last.epoch}`);
  const rate = progress.imgPerSec ?? last.imgPerSec;
  if (rate !== undefined && Number.isFinite(rate)) parts.push(`${rate.toFixed(0)} img/s`);
  const elapsed = s.startMs === undefined ? 0 : (now() - s.startMs) / 1000;
  parts.push(`elapsed ${fmtDuration(elapsed)}`);
  const done = last.step - s.startStep;
  if (totalSteps && last.step < totalSteps && progress.etaSec !== undefined) {
    parts.push(`ETA ${fmtDuration(progress.etaSec)}`);
  } else if (totalSteps && done > 0 && last.step < totalSteps) {
    parts.push(`ETA ${fmtDuration((elapsed / done) * (totalSteps - last.step))}`);
  } else if (totalSteps && last.step >= totalSteps) {
    parts.push('done');
  }
  parts.push(`dLoss ${last.dLoss.toFixed(3)}  gLoss ${last.gLoss.toFixed(3)}`);
  return parts.join('  ·  ');
}

/** The dashboard PNG: the status line, the two history charts on the left, the latest sample grid on the right. */
function dashboard(s: ViewState, status: string, smoothing: number): Picture {
  const grid = s.frames[s.frames.length - 1];
  const gridBox = WIDTH - CHART_W - 24;
  const height = Math.max(
    STATUS_H + 2 * CHART_H + 8,
    STATUS_H + (grid ? Math.min(grid.height, gridBox) + 40 : 0),
  );
  const canvas = createCanvas(WIDTH, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, height);
  ctx.fillStyle = '#222222';
  ctx.font = '13px "DejaVu Sans Mono", "Liberation Mono", monospace';
  ctx.textBaseline = 'middle';
  ctx.fillText(status, 8, STATUS_H / 2, WIDTH - 16);
  drawHistoryCharts(ctx, s.history, smoothing);
  drawSampleColumn(ctx, grid, s.epochs[s.epochs.length - 1], Math.min(gridBox, height - STATUS_H - 34));
  const data = ctx.getImageData(0, 0, WIDTH, height).data;
  return new Picture({ width: WIDTH, height, data: new Uint8ClampedArray(data) });
}

/** Losses (raw faint, EMA solid) above D(x) and D(G(z)) with the D = ½ line, against step. */
function drawHistoryCharts(ctx: SKRSContext2D, history: readonly HistoryRecord[], smoothing: number): void {
  const steps = history.map((r) => r.step);
  const series = (key: 'dLoss' | 'gLoss' | 'dReal' | 'dFake', color: string, smooth: boolean) => {
    const raw = history.map((r) => (typeof r[key] === 'number' ? (r[key] as number) : NaN));
    if (!smooth || smoothing === 0) return [{ name: key, x: steps, y: raw, color }];
    return [
      { name: `${key} raw`, x: steps, y: raw, color, alpha: 0.25, width: 1, hideLegend: true },
      { name: key, x: steps, y: emaSmooth(raw, smoothing), color, width: 2 },
    ];
  };
  drawLineChart(
    ctx,
    { x: 0, y: STATUS_H, width: CHART_W, height: CHART_H },
    {
      title: `Losses (EMA ${smoothing})`,
      series: [...series('dLoss', COLORS.d, true), ...series('gLoss', COLORS.g, true)],
    },
  );
  drawLineChart(
    ctx,
    { x: 0, y: STATUS_H + CHART_H + 8, width: CHART_W, height: CHART_H },
    {
      title: 'D(x) real, D(G(z)) fake',
      xTitle: 'step',
      series: [...series('dReal', COLORS.dReal, true), ...series('dFake', COLORS.dFake, true)],
      yRange: [0, 1],
      hLines: [0.5],
    },
  );
}

/** The right column: a caption and the latest sample grid, scaled down to fit `maxSide`. */
function drawSampleColumn(
  ctx: SKRSContext2D,
  grid: Picture | undefined,
  epoch: number | undefined,
  maxSide: number,
): void {
  const gx = CHART_W + 16;
  ctx.fillStyle = '#222222';
  ctx.font = 'bold 13px "DejaVu Sans", "Liberation Sans", sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(
    grid
      ? `Fixed-noise samples${epoch !== undefined ? `, epoch ${epoch}` : ''}`
      : 'Fixed-noise samples: none yet',
    gx,
    STATUS_H + 6,
  );
  if (grid) {
    // Fit the grid into the right column (integer downscale keeps pixels crisp).
    const f = Math.max(1, Math.ceil(Math.max(grid.width, grid.height) / maxSide));
    const src = createCanvas(grid.width, grid.height);
    src.getContext('2d').putImageData(new ImageData(grid.rgba.data, grid.width, grid.height), 0, 0);
    ctx.imageSmoothingEnabled = f > 1;
    ctx.drawImage(src, gx, STATUS_H + 28, Math.floor(grid.width / f), Math.floor(grid.height / f));
  }
}

/** Seconds as m:ss or h:mm:ss. */
export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
