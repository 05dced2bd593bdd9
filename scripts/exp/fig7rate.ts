// How often Figure 7's arithmetic works, per generator: both equations on 8 sample banks of 2,000 (seeds 7–14,
// tutorial 03's bank first) with 3 and with 10 exemplars per concept, judged by tutorial 03's CNN judge
// (16,000 faces, 4 epochs; trained once, the runs share the face set).
// npx tsx scripts/exp/fig7rate.ts RUN_DIR [RUN_DIR ...]
import { initBackend } from '../../src/backend';
import { loadCeleba } from '../../src/data/celeba';
import { loadGenerator } from '../../src/train/checkpointModels';
import { disposeModels, samplingGenerator } from '../../src/models';
import { fitAttributeCnn } from '../../src/analysis/attributeCnn';
import { arithmeticOverBanks, SMILING_MAN, WOMAN_WITH_GLASSES } from '../../src/analysis/vectorArithmetic';

async function main() {
  const runs = process.argv.slice(2);
  if (runs.length === 0) throw new Error('Expected faces run directories, e.g. runs/faces-dcgan-cpu.');
  await initBackend();
  const data = await loadCeleba({ dir: 'data/celeba', size: 32 });
  const judge = await fitAttributeCnn(data, ['Smiling', 'Male', 'Eyeglasses'], {
    trainExamples: 16000,
    heldOutExamples: 2000,
    epochs: 4,
  });
  const seeds = [7, 8, 9, 10, 11, 12, 13, 14];
  for (const dir of runs) {
    const run = loadGenerator(dir);
    const G = samplingGenerator(run.models);
    for (const perConcept of [3, 10]) {
      const t0 = performance.now();
      const s = arithmeticOverBanks(G, run.models.prior, judge, [SMILING_MAN, WOMAN_WITH_GLASSES], seeds, {
        bankSize: 2000,
        perConcept,
      });
      for (const name of ['smiling man', 'woman with glasses']) {
        const rows = s.filter((r) => r.equation === name);
        const marks = rows.map((r) => (r.worked ? 'Y' : '.')).join('');
        const a = name === 'smiling man' ? 'Smiling' : 'Eyeglasses';
        const moves = rows.map((r) => (r.after[a] - r.before[a]).toFixed(2)).join(' ');
        console.log(
          `${dir} step ${run.step} ×${perConcept} ${name}: ${rows.filter((r) => r.worked).length}/${rows.length} ${marks} (ΔP ${moves})`,
        );
      }
      console.log(`  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    disposeModels(run.models);
  }
}
main();
