/**
 * The `gan` command line: long runs and checks outside notebooks. Each command lives in its own
 * file and registers itself here. Usage errors (unknown command or flag, bad value) exit with 2.
 */
import { Command, CommanderError } from 'commander';
import { registerDoctor } from './doctor';
import { registerData } from './data';
import { registerBench } from './bench';
import { registerTrain } from './train';
import { registerSample } from './sample';
import { registerTrainClassifier } from './classifier';
import { registerTrainFaceFeatures } from './faceFeatures';
import { registerCheckBackend } from './checkBackend';
import { registerEvaluate } from './evaluate';
import { registerRecipes } from './recipes';
import { UserError } from '../errors';

export { UsageError } from '../errors';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('gan')
    .description('GAN and DCGAN tutorials in TypeScript: training, data, benchmarks and checks.')
    .showHelpAfterError('(run `npx gan --help` for usage)')
    .exitOverride();
  registerDoctor(program);
  registerData(program);
  registerBench(program);
  registerTrain(program);
  registerSample(program);
  registerEvaluate(program);
  registerRecipes(program);
  registerTrainClassifier(program);
  registerTrainFaceFeatures(program);
  registerCheckBackend(program);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError();
  return program;
}

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help asked for → 0; unknown command/flag, missing argument, bad value → 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`gan: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`gan: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
