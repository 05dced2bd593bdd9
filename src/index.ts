/**
 * The library in one import, for a notebook or another project (package.json `main`/`types`):
 *   import { startNotebook, loadDataset, buildModels, train, lossChart, show } from 'gan-notebooks';
 * Everything public of src/, flat; where two modules use one name, the index names which it exports.
 * CLI and Jupyter tooling (src/cli, src/env except the variable registry) are not part of it.
 */
export * from './backend';
export * from './notebook';
export * from './profile';
export * from './claim';
export * from './results';
export * from './data';
export * from './models';
export * from './train';
// StepRecord is declared once (train/history.ts) and re-exported by train and plot: name the source.
export type { StepRecord } from './train';
export * from './plot';
export * from './util/rng';
export * from './util/paths';
export * from './markdown';
export * from './env/variables';
export * from './theory/figures';
export * from './theory/minimax';
export * from './theory/toy1d';
export * from './metrics/classifier';
export * from './metrics/coverage';
export * from './metrics/digits';
export * from './metrics/evaluate';
export * from './metrics/faces';
export * from './metrics/frechet';
export * from './metrics/parzen';
export * from './metrics/quality';
export * from './analysis/celebaPipeline';
export * from './analysis/diversity';
export * from './analysis/generate';
export * from './analysis/latent';
export * from './analysis/nearest';
export * from './analysis/saturation';
export * from './analysis/timeBudget';
export * from './analysis/vectorArithmetic';
export * from './compare/charts';
export * from './compare/experiment';
