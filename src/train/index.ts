/**
 * Training, in one import for notebooks: `import { train, discriminatorLoss } from '../src/train'`.
 * The engine (engine.ts), its one config (config.ts), one step (step.ts), the losses (losses.ts), Adam
 * (adam.ts), checkpoints (checkpoint.ts) and what of a run they hold (checkpointModels.ts).
 */
export * from './engine';
export * from './step';
export * from './losses';
export { Adam, ADAM_DEFAULTS, type AdamConfig } from './adam';
export {
  checkImageShape,
  datasetSpec,
  recordedConfig,
  resolveTrainConfig,
  type DatasetSpec,
  type TrainBudget,
} from './config';
export {
  CheckpointError,
  hasCheckpoint,
  latestCheckpointDir,
  loadCheckpoint,
  readManifest,
  type CheckpointManifest,
  type LoadedCheckpoint,
} from './checkpoint';
