/**
 * Executing the tutorial notebooks headless through Jupyter (nbconvert's ExecutePreprocessor,
 * i.e. nbclient) on the tslab kernel. Used by `npm test` (quick profile, executed copies under
 * test-artifacts/) and by `npm run reproduce` (default profile, outputs kept in place).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jupyterCommand, jupyterEnv, KERNEL_NAME } from './jupyter';
import { ensureKernelHere } from './kernel';
import { projectRoot } from '../util/paths';
import type { ProfileName } from '../profile';

export interface RunNotebookOptions {
  profile: ProfileName;
  /** Write executed notebooks here; undefined → execute in place (outputs kept for GitHub). */
  outputDir?: string;
  /** Per-cell timeout in seconds. */
  cellTimeoutSec?: number;
  /** Extra environment for the kernel. */
  env?: NodeJS.ProcessEnv;
}

export interface NotebookResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  output?: string;
  /** Error text from nbconvert when a cell failed. */
  error?: string;
}

export const TROUBLESHOOTING =
  'See README.md → Troubleshooting → "No such kernel named tslab": run `npm run kernel:install`.';

/** The tutorial notebooks in run order (file names sort by their number prefix). */
export function listNotebooks(dir = path.join(projectRoot(), 'notebooks')): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.+\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Throws with the README's first troubleshooting item when the kernel is not registered. A kernel that
 * points at another or a deleted checkout is re-pointed to this one (the message says which it was).
 */
export function assertKernelReady(): void {
  if (!jupyterCommand()) throw new Error(`Jupyter is not installed or not on PATH. ${TROUBLESHOOTING}`);
  ensureKernelHere(`No Jupyter kernel named "${KERNEL_NAME}" is registered. ${TROUBLESHOOTING}`);
}

/** Pull the interesting part out of nbconvert's CellExecutionError output. */
function extractCellError(stderr: string): string {
  const i = stderr.indexOf('CellExecutionError');
  const text = i >= 0 ? stderr.slice(i) : stderr;
  return text.split('\n').slice(0, 40).join('\n').trim();
}

export function runNotebook(notebook: string, options: RunNotebookOptions): NotebookResult {
  const args = [
    'nbconvert',
    '--to',
    'notebook',
    '--execute',
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${options.cellTimeoutSec ?? 1800}`,
  ];
  let output: string;
  if (options.outputDir) {
    fs.mkdirSync(options.outputDir, { recursive: true });
    args.push('--output-dir', options.outputDir);
    output = path.join(options.outputDir, path.basename(notebook));
  } else {
    args.push('--inplace');
    output = notebook;
  }
  args.push(notebook);
  const t0 = Date.now();
  const r = spawnSync(jupyterCommand() ?? 'jupyter', args, {
    cwd: path.dirname(notebook),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: jupyterEnv({ ...options.env, GAN_PROFILE: options.profile }),
  });
  const seconds = (Date.now() - t0) / 1000;
  if (r.error) return { notebook, ok: false, seconds, error: r.error.message };
  if (r.status !== 0) {
    // A timed-out cell would time out again: re-run for details only when a cell raised.
    const timedOut = /CellTimeoutError|timed out/i.test(r.stderr);
    const details = timedOut
      ? `a cell ran longer than ${options.cellTimeoutSec ?? 1800} s`
      : failureDetails(notebook, args, options);
    return { notebook, ok: false, seconds, error: `${extractCellError(r.stderr)}\n${details}` };
  }
  const errors = notebookErrors(output);
  if (errors.length > 0) return { notebook, ok: false, seconds, output, error: errors.join('\n') };
  return { notebook, ok: true, seconds, output };
}

/** The parts of an executed notebook (nbformat 4) that error reporting reads. */
interface ExecutedNotebook {
  cells: Array<{
    cell_type: string;
    outputs?: Array<{
      output_type: string;
      name?: string;
      text?: string | string[];
      ename?: string;
      evalue?: string;
      traceback?: string[];
    }>;
  }>;
}

function readExecutedNotebook(file: string): ExecutedNotebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutedNotebook;
}

function streamText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

/**
 * tslab reports a failing cell's exception as stderr text with an empty error name, so nbconvert's
 * message says little. Re-run with --allow-errors into a temp folder and collect the stderr text of
 * each cell: slower, but only on failure, and it shows the real stack trace.
 */
function failureDetails(notebook: string, args: string[], options: RunNotebookOptions): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-fail-'));
  const rerun = args.filter((a) => a !== '--inplace' && a !== notebook);
  const odIdx = rerun.indexOf('--output-dir');
  if (odIdx >= 0) rerun.splice(odIdx, 2);
  rerun.push('--allow-errors', '--output-dir', dir, notebook);
  spawnSync(jupyterCommand() ?? 'jupyter', rerun, {
    cwd: path.dirname(notebook),
    encoding: 'utf8',
    env: jupyterEnv({ ...options.env, GAN_PROFILE: options.profile }),
  });
  const out = path.join(dir, path.basename(notebook));
  if (!fs.existsSync(out)) return '(no details: the re-run with --allow-errors wrote no notebook)';
  const nb = readExecutedNotebook(out);
  const lines: string[] = [];
  // ANSI colour codes in tracebacks (IPython style) make a log unreadable.
  // eslint-disable-next-line no-control-regex
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  nb.cells.forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      if (o.output_type === 'stream' && o.name === 'stderr') {
        lines.push(`cell ${i} stderr:\n${streamText(o.text).split('\n').slice(0, 25).join('\n')}`);
      } else if (o.output_type === 'error') {
        const tb = plain((o.traceback ?? []).join('\n')) || `${o.ename}: ${o.evalue}`;
        lines.push(`cell ${i} error:\n${tb.split('\n').slice(0, 25).join('\n')}`);
      }
    }
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return lines.join('\n') || '(no error or stderr output in the re-run)';
}

/**
 * What tslab shows a reader when something goes wrong, as found in its real output (probe notebooks under
 * test/fixtures/notebooks): a cell's exception is a stderr stream with the stack trace ("Error: …" then
 * "    at …" lines); a throw in a timer or callback is "UncaughtException: Error: …" on stderr in whichever
 * cell runs next; a promise rejected with no handler is "UnhandledPromiseRejection: …" on stderr; a type
 * error from tslab's checker is "LINE:COL - message" on stderr; a rejected promise as a cell's value is
 * printed on stdout as "Promise { <rejected> … }". A patched tslab may instead emit real `error` outputs.
 */
const STDERR_ERROR_PATTERNS: RegExp[] = [
  /\b(UncaughtException|UnhandledPromiseRejection(Warning)?)\b/,
  /^\s*(\w+)?(Error|Exception)( \[[\w-]+\])?: /m,
  /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m,
  /^\d+:\d+ - /m,
];
const STDOUT_ERROR_PATTERNS: RegExp[] = [/<rejected>/, /\b(UncaughtException|UnhandledPromiseRejection)\b/];

function firstLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(0, n).join(' | ');
}

/**
 * Every error a reader of the executed notebook would see: `error` outputs, and stream text in tslab's own
 * reporting format (exceptions, uncaught timer/callback errors, unhandled rejections, type errors).
 * One line per finding: `cell N: …`. Plain warnings on stderr (no error or stack trace) are not errors.
 */
export function notebookErrors(file: string): string[] {
  const nb = readExecutedNotebook(file);
  const out: string[] = [];
  nb.cells.forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      if (o.output_type === 'error') {
        const tb = firstLines((o.traceback ?? []).join('\n'), 1);
        const what = [o.ename, o.evalue].filter((x) => x).join(': ') || tb || '(error output)';
        out.push(`cell ${i}: ${what}`);
      } else if (o.output_type === 'stream') {
        const text = streamText(o.text);
        const patterns = o.name === 'stderr' ? STDERR_ERROR_PATTERNS : STDOUT_ERROR_PATTERNS;
        if (patterns.some((re) => re.test(text))) out.push(`cell ${i}: ${o.name}: ${firstLines(text)}`);
      }
    }
  });
  return out;
}
