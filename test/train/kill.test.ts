/**
 * Kill at random instants: a child process trains with a checkpoint every step and is SIGKILLed at a
 * random time, over many iterations. After every kill the latest checkpoint must load, and resuming
 * from it must reproduce exactly the history of an uninterrupted run. Each kill is classified by what
 * it left on disk; at least one must have landed during a checkpoint write (a temp checkpoint folder,
 * a temp pointer file, or a finished checkpoint the pointer does not reach yet), or the test has not
 * tested what it claims.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { loadCheckpoint } from '../../src/train/checkpoint';
import { train, type StepRecord } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

const losses = (h: StepRecord[]) =>
  h.map(({ step, epoch, dLoss, gLoss, dReal, dFake }) => ({ step, epoch, dLoss, gLoss, dReal, dFake }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Iterations (each a child process); GAN_KILL_ITERATIONS overrides. */
const ITERATIONS = Number(process.env.GAN_KILL_ITERATIONS ?? 10);
/**
 * When none of those landed mid-write (the write is a small share of a step, so 10 uniform kills miss
 * it now and then), keep killing, two at a time, up to this many in all before failing.
 */
const MAX_ITERATIONS = Math.max(ITERATIONS, Number(process.env.GAN_KILL_MAX_ITERATIONS ?? 30));

/** What a SIGKILL left behind in a run folder: evidence of a checkpoint write in progress, if any. */
export function midWriteEvidence(dir: string): string | undefined {
  const ckpts = path.join(dir, 'checkpoints');
  const tmpDirs = fs.existsSync(ckpts) ? fs.readdirSync(ckpts).filter((d) => d.startsWith('.tmp-')) : [];
  if (tmpDirs.length > 0) return `temp checkpoint folder ${tmpDirs[0]}`;
  const tmpFiles = fs.readdirSync(dir).filter((f) => /^latest\.json\.tmp-/.test(f));
  if (tmpFiles.length > 0) return `temp pointer file ${tmpFiles[0]}`;
  const pointed = JSON.parse(fs.readFileSync(path.join(dir, 'latest.json'), 'utf8')).step as number;
  const newer = fs
    .readdirSync(ckpts)
    .map((d) => /^step-(\d+)-/.exec(d))
    .filter((m) => m && Number(m[1]) > pointed);
  if (newer.length > 0) return `checkpoint ${newer[0]?.[0]}… written, pointer still at step ${pointed}`;
  return undefined;
}

const pointerStep = (dir: string): number => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'latest.json'), 'utf8')).step as number;
  } catch {
    return 0; // not there yet, or being replaced
  }
};

/**
 * Start the child; once it has checkpointed twice, time its steps (checkpoint included) and SIGKILL it
 * at a uniformly random instant within the next two steps. The instant scales with the machine's speed,
 * so a loaded CI machine gets kills spread over whole steps just like a fast one. Returns the delay.
 */
async function killAtRandom(dir: string): Promise<number> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'killChild.ts'), dir], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const waitFor = async (step: number) => {
    const t0 = Date.now();
    while (pointerStep(dir) < step) {
      if (child.exitCode !== null) assert.fail(`child exited early: ${stderr}`);
      if (Date.now() - t0 > 120_000) {
        child.kill('SIGKILL');
        assert.fail(`child reached no checkpoint ${step} in 120 s`);
      }
      await sleep(2);
    }
    return Date.now();
  };
  const t1 = await waitFor(1);
  const t3 = await waitFor(3);
  const delayMs = Math.random() * (t3 - t1); // (t3 − t1) / 2 per step: up to two steps
  await sleep(delayMs);
  child.kill('SIGKILL');
  await exited;
  return Math.round(delayMs);
}

describe('checkpoints survive SIGKILL', function () {
  this.timeout(600_000);
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-kill-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`${ITERATIONS}+ kills at random instants → loadable, resume = uninterrupted run, ≥ 1 kill mid-write`, async () => {
    const killed: Array<{ dir: string; delayMs: number; evidence?: string; step: number }> = [];
    // Two children at a time: the wait for their start-up overlaps.
    for (let i = 0; i < MAX_ITERATIONS; i += 2) {
      if (i >= ITERATIONS && killed.some((k) => k.evidence)) break;
      const dirs = [i, i + 1].filter((j) => j < MAX_ITERATIONS).map((j) => path.join(tmp, `run${j}`));
      const delays = await Promise.all(dirs.map((d) => killAtRandom(d)));
      dirs.forEach((dir, j) => {
        const evidence = midWriteEvidence(dir);
        const step = loadCheckpoint(dir).manifest.step; // loads and validates (sha256, finite values)
        assert.ok(step >= 3);
        killed.push({ dir, delayMs: delays[j], evidence, step });
      });
    }
    const report = killed.map(
      (k) => `${k.delayMs} ms → step ${k.step}${k.evidence ? `, mid-write: ${k.evidence}` : ''}`,
    );
    console.log(`      ${report.join('\n      ')}`);
    const maxStep = Math.max(...killed.map((k) => k.step));
    const reference = await train({ ...killRunOptions(), maxSteps: maxStep + 3 });
    disposeModels(reference.models);
    for (const k of killed) {
      const resumed = await train({ ...killRunOptions(k.dir), resume: true, maxSteps: k.step + 3 });
      disposeModels(resumed.models);
      assert.equal(resumed.history.length, k.step + 3);
      assert.deepEqual(
        losses(resumed.history),
        losses(reference.history).slice(0, k.step + 3),
        `killed at ${k.delayMs} ms`,
      );
    }
    assert.ok(
      killed.some((k) => k.evidence),
      `none of ${killed.length} kills landed during a checkpoint write:\n${report.join('\n')}`,
    );
  });
});
