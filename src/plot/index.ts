/**
 * Plotting and display for the tutorials: plotly charts, Canvas image grids, GIF animations,
 * tslab display (one mime bundle per output), the live training view and static figure export.
 *   import { lossChart, imageGrid, show, saveFigure } from '../src/plot';
 */
export * from './animation';
export * from './canvasChart';
export * from './charts';
export * from './committedNotebook';
export * from './display';
export * from './export';
export * from './figure';
export * from './imageGrid';
export * from './liveView';
export * from './outputImage';
export * from './picture';
export * from './pixels';
// Tutorial 01's density chart lives beside the theory it draws, in theory/figures.ts (theory imports
// plot, never the reverse; no module of plot/ uses it). Notebook 01 imports it from "../dist/src/plot".
export { densityChart, optimalDiscriminator, type DensityInput } from '../theory/figures';
