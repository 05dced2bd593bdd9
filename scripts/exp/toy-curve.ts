// Exploration: C(G) + log 4 of the 1-D toy every 250 joint steps (KDE of 20,000 samples), seeds 1 and 2, and
// the estimator's floor; how the R1 penalty and z ~ N(0, 1) were found to settle it (src/theory/toy1d.ts).
//   npx tsx scripts/exp/toy-curve.ts '{"zDist":"normal","r1Gamma":1,"total":4000}'
import { initBackend } from '../../src/backend';
import { Toy1dGan } from '../../src/theory/toy1d';
(async () => {
  await initBackend();
  const c = JSON.parse(process.argv[2]);
  for (const seed of [1, 2]) {
    const toy = new Toy1dGan({ seed, ...c });
    const out: string[] = [];
    for (let s = 1; s <= (c.total ?? 4000); s++) {
      toy.trainStep();
      if (s % 250 === 0) out.push((toy.snapshot(20000).criterion + Math.log(4)).toFixed(3));
    }
    console.log(seed, 'floor', toy.estimatorFloor().toFixed(4), out.join(' '));
  }
})();
