/**
 * Training, in one import for notebooks: `import { train, discriminatorLoss } from '../src/train'`.
 * The engine (engine.ts), one step (step.ts), the losses (losses.ts), Adam (adam.ts) and checkpoints
 * (checkpoint.ts).
 */
export * from './engine';
export * from './step';
export * from './losses';
export { Adam, ADAM_DEFAULTS, type AdamConfig } from './adam';
export {
  CheckpointError,
  hasCheckpoint,
  latestCheckpointDir,
  loadCheckpoint,
  type CheckpointManifest,
  type LoadedCheckpoint,
} from './checkpoint';
