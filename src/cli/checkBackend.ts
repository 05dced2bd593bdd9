/**
 * `gan check-backend [--backend NAME] [--json]`: the kernels and a training step on a backend
 * (default: the ladder's choice) against the cpu reference. Exit code 1 when any case is off.
 */
import type { Command } from 'commander';
import { initBackend, parseBackendName } from '../backend';
import { checkBackend } from '../backend/check';

export function registerCheckBackend(program: Command): void {
  program
    .command('check-backend')
    .description('check kernel outputs and a training step on a backend against the cpu reference')
    .option('--backend <name>', 'backend to check (default: what the ladder picks)', parseBackendName)
    .option('--no-steps', 'kernels only, skip the training steps')
    .option('--json', 'print one JSON object')
    .action(async (opts: { backend?: string; steps: boolean; json?: boolean }) => {
      // A bad --backend stopped at parsing; a ladder with no working rung is a BackendError (exit 2 too).
      const backend = opts.backend ?? (await initBackend()).provider;
      const r = await checkBackend(backend, { steps: opts.steps });
      if (opts.json) {
        process.stdout.write(
          JSON.stringify({
            backend: r.backend.backend,
            device: r.backend.device,
            ok: r.ok,
            seconds: r.seconds,
            cases: r.cases,
          }) + '\n',
        );
      } else {
        console.log(`${r.backend.backend} — ${r.backend.device}, against cpu:`);
        for (const c of r.cases) {
          console.log(
            `  ${c.ok ? '✓' : '✗'} ${c.name}: relative error ${c.relError.toExponential(2)} (tolerance ${c.tolerance})`,
          );
        }
        console.log(
          `${r.cases.filter((c) => c.ok).length}/${r.cases.length} cases within tolerance in ${r.seconds.toFixed(1)} s`,
        );
      }
      if (!r.ok) process.exitCode = 1;
    });
}
