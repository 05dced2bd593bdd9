// Exploration: which Toy1d settings bring panel (d) of Figure 1 within 0.01 nats of −log 4 in ≤ 2 CPU min.
//   npx tsx scripts/exp/toy.ts '[{"lr":5e-4,"lrHalfLife":800,"lrMin":2e-5}]' 2500
import { initBackend } from '../../src/backend';
import { Toy1dGan, rebuildFigure1 } from '../../src/theory/toy1d';

async function main() {
  await initBackend();
  const configs = JSON.parse(process.argv[2]) as object[];
  const end = Number(process.argv[3] ?? 2500);
  for (const c of configs) {
    for (const seed of [1, 2]) {
      const toy = new Toy1dGan({ seed, ...c });
      const cpu0 = process.cpuUsage();
      const r = rebuildFigure1(toy, {
        warmupSteps: 0,
        dOnlySteps: 400,
        midSteps: 500,
        endSteps: end,
        every: 500,
      });
      const cpu = process.cpuUsage(cpu0);
      const [, , pc, pd] = r.panels;
      console.log(
        JSON.stringify({
          c,
          seed,
          end,
          gapD: +(pd.criterion + Math.log(4)).toFixed(4),
          gapC: +(pc.criterion + Math.log(4)).toFixed(4),
          cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1),
        }),
      );
    }
  }
}
main();
