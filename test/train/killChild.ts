/** Child process of kill.test.ts: trains the kill-test run until the parent SIGKILLs it. */
import { initBackend } from '../../src/backend';
import { train } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

(async () => {
  await initBackend({ force: 'cpu' });
  await train({ ...killRunOptions(process.argv[2]), maxSteps: 100000 });
})().catch((e) => {
  process.stderr.write(String(e) + '\n');
  process.exit(1);
});
