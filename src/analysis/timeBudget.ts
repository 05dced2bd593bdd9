/**
 * A wall-clock budget for `train()` (src/train/engine.ts): stop after the step during which the
 * time runs out. `AbortSignal.timeout` cannot do this: the step loop never yields to the event
 * loop's timer phase (its awaits resolve as microtasks), so the timer fires only after training.
 * Here the deadline is checked after every step, in the onStep callback, and aborts `signal`.
 *   const budget = timeBudget(10);   // minutes; 0 = no limit
 *   await train({ ..., signal: budget.signal, callbacks: budget.wrap(view.callbacks) });
 */
import type { TrainCallbacks } from '../train/engine';

export interface TimeBudget {
  /** Pass as `train({ signal })`; undefined when there is no limit. */
  readonly signal: AbortSignal | undefined;
  /** The callbacks with the deadline check added after each step (the same object when no limit). */
  wrap(callbacks?: TrainCallbacks): TrainCallbacks;
  /** True once the budget has run out. */
  readonly expired: boolean;
  /** Seconds left (Infinity without a limit, never negative). */
  secondsLeft(): number;
}

export function timeBudget(minutes: number, now: () => number = () => Date.now()): TimeBudget {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) {
    throw new Error(`Expected minutes to be a finite number ≥ 0 (0: no limit), but got ${minutes}.`);
  }
  if (minutes === 0) {
    return { signal: undefined, wrap: (c = {}) => c, expired: false, secondsLeft: () => Infinity };
  }
  const deadline = now() + minutes * 60_000;
  const controller = new AbortController();
  const check = () => {
    if (!controller.signal.aborted && now() >= deadline) controller.abort();
  };
  return {
    signal: controller.signal,
    wrap: (c = {}) => ({
      ...c,
      onStep: async (record, progress) => {
        await c.onStep?.(record, progress);
        check();
      },
    }),
    get expired() {
      check();
      return controller.signal.aborted;
    },
    secondsLeft: () => Math.max(0, (deadline - now()) / 1000),
  };
}
