/**
 * What every tutorial does first: pick the backend (the ladder), read the profile, and state
 * profile, backend, device and dataset at the top. `session.save(fig, name)` writes figures to
 * docs/figures/<notebook>/ so `npm run reproduce` regenerates the docs.
 *   const nb = await startNotebook('02-gan-mnist', { dataset: 'MNIST (embedded 10k real digits)' });
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, type BackendReport } from './backend';
import { projectRoot } from './util/paths';
import { TMP_FILE_PATTERN } from './util/fsAtomic';
import { pickByProfile, profileName, type ProfileName } from './profile';
import { RUN_LOCK } from './train/engine';
import { HISTORY_FILE } from './train/history';
import { lockHolder } from './util/lock';
import {
  isFigure,
  renderFigure,
  saveFigure,
  show,
  withPicture,
  writeRenderedFigure,
  type Animation,
  type Figure,
  type Picture,
} from './plot';

export interface NotebookSession {
  name: string;
  profile: ProfileName;
  backend: BackendReport;
  dataset: string;
  /** Value per profile and device class: `nb.pick({ quick: 1, cpu: 20, gpu: 100 })`. */
  pick<T>(values: { quick: T; cpu: T; gpu: T }): T;
  /** Save under docs/figures/<notebook>/<name> (or $GAN_FIGURES_DIR; PNG, charts also SVG). Returns the files written. */
  save(item: Figure | Picture | Animation, name: string): Promise<string[]>;
  /**
   * A fresh run directory `runs/<notebook>/<name>` (`runs/<notebook>-quick/<name>` at the quick profile; an earlier run there is removed: a notebook
   * re-executed reproduces its run from scratch; `npx gan train --resume` continues one from a terminal).
   */
  runDir(name: string): string;
  /**
   * Show and save in one call (nothing returned, so the cell shows only the figure). A chart is
   * rendered once (Chromium): the PNG is saved and also shown beside the interactive chart.
   */
  showAndSave(item: Figure | Picture | Animation, name: string): Promise<void>;
}

/** The header's rows as [label, value]; a value's `code` spans are marked with backticks. */
function headerRows(profile: ProfileName, backend: BackendReport, dataset: string): [string, string][] {
  const skipped = Object.entries(backend.skipped)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return [
    ['profile', `\`${profile}\`${profile === 'quick' ? ' (CI smoke size: numbers are not meaningful)' : ''}`],
    ['backend', `\`${backend.backend}\` (${backend.provider})`],
    ['device', backend.device],
    ['dataset', dataset],
    ...(skipped ? [['faster backends skipped', skipped] as [string, string]] : []),
    ['tfjs', backend.tfjsVersion],
  ];
}

export function headerMarkdown(
  name: string,
  profile: ProfileName,
  backend: BackendReport,
  dataset: string,
): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${cell(name)} | |`,
    '|---|---|',
    ...headerRows(profile, backend, dataset).map(([k, v]) => `| ${k} | ${cell(v)} |`),
  ].join('\n');
}

/**
 * The same table as HTML: classic Notebook shows text/markdown only in trusted notebooks (an
 * unexecuted one shows the raw Markdown), while sanitized HTML shows everywhere.
 */
export function headerHtml(
  name: string,
  profile: ProfileName,
  backend: BackendReport,
  dataset: string,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const code = (s: string) => esc(s).replace(/`([^`]*)`/g, '<code>$1</code>');
  const rows = headerRows(profile, backend, dataset).map(
    ([k, v]) =>
      `<tr><td style="text-align:left">${esc(k)}</td><td style="text-align:left">${code(v)}</td></tr>`,
  );
  return [
    '<table class="gan-header">',
    `<thead><tr><th style="text-align:left">${esc(name)}</th><th></th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
  ].join('\n');
}

/** The header output: Markdown (JupyterLab, VS Code), HTML (classic Notebook, GitHub) and text. */
export function headerBundle(
  name: string,
  profile: ProfileName,
  backend: BackendReport,
  dataset: string,
): { data: Record<string, string>; metadata: Record<string, unknown> } {
  const md = headerMarkdown(name, profile, backend, dataset);
  return {
    data: { 'text/html': headerHtml(name, profile, backend, dataset), 'text/markdown': md, 'text/plain': md },
    metadata: {},
  };
}

/**
 * Where figures go: GAN_FIGURES_DIR when set; else test-artifacts/figures at the quick profile (smoke-size
 * figures, whether from the test run or a notebook run by hand, never overwrite the documented ones); else
 * docs/figures (the main job).
 */
export function figuresRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GAN_FIGURES_DIR && env.GAN_FIGURES_DIR.trim() !== '') return env.GAN_FIGURES_DIR;
  return profileName(env) === 'quick' ? 'test-artifacts/figures' : 'docs/figures';
}

/** What a training run writes into its folder (the engine, the CLI's sample grids, the lock). */
const RUN_MARKERS = [HISTORY_FILE, 'latest.json', 'checkpoints'];
const RUN_ENTRIES = new Set([...RUN_MARKERS, 'config.json', 'samples', RUN_LOCK]);

/** Is `entry` (a name inside `dir`) something a run wrote, or a link (removing it loses nothing)? */
function isRunEntry(dir: string, entry: string): boolean {
  if (RUN_ENTRIES.has(entry) || TMP_FILE_PATTERN.test(entry) || entry.startsWith('.tmp-')) return true;
  return fs.lstatSync(path.join(dir, entry)).isSymbolicLink();
}

/**
 * Remove an earlier run in `dir`: only a folder that is empty, or holds a run's own files and nothing
 * else (history.jsonl, latest.json or checkpoints/, with config.json, samples/, the lock, temp files).
 * Anything else in it is refused and named, so no user file is ever deleted.
 */
export function freshRunDir(dir: string): string {
  const holder = lockHolder(path.join(dir, RUN_LOCK));
  if (holder !== undefined && holder !== process.pid) {
    throw new Error(
      `${dir} is being trained right now by another process (pid ${holder}); not removing it. ` +
        'Wait for that run to finish, or stop it first.',
    );
  }
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    const foreign = entries.filter((e) => !isRunEntry(dir, e));
    if (entries.length > 0 && (foreign.length > 0 || !entries.some((e) => RUN_MARKERS.includes(e)))) {
      const named = foreign.length > 0 ? ` (it holds ${foreign.slice(0, 5).join(', ')})` : '';
      throw new Error(
        `${dir} exists and does not look like a training run${named}; not removing it. ` +
          'Move it away or pick another name.',
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return dir;
}

export async function startNotebook(name: string, info: { dataset: string }): Promise<NotebookSession> {
  const profile = profileName();
  const backend = await initBackend();
  show(headerBundle(name, profile, backend, info.dataset));
  const figurePath = (fig: string) => path.join(figuresRoot(), name, fig);
  const save = (item: Figure | Picture | Animation, fig: string) => saveFigure(item, figurePath(fig));
  return {
    name,
    profile,
    backend,
    dataset: info.dataset,
    pick: (values) => pickByProfile(values, backend.gpu, profile),
    // Smoke-size (quick) runs live apart, so a test run never replaces a real run of the same notebook.
    runDir: (run) =>
      freshRunDir(path.join(projectRoot(), 'runs', profile === 'quick' ? `${name}-quick` : name, run)),
    save,
    showAndSave: async (item, fig) => {
      if (!isFigure(item)) {
        show(item);
        await save(item, fig);
        return;
      }
      const rendered = await renderFigure(item);
      show(withPicture(item, rendered));
      if (rendered) writeRenderedFigure(rendered, figurePath(fig));
    },
  };
}
