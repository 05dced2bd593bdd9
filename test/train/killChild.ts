/**
 * Child process of kill.test.ts: trains the kill-test run into argv[2] until the parent SIGKILLs it.
 * Does nothing when merely imported (mocha loads every .ts file of a directory it is given).
 */
import { initBackend } from '../../src/backend';
import { train } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir || !dir.includes('gan-kill-')) {
    process.stderr.write(`killChild: expected a gan-kill-* temp directory, got ${JSON.stringify(dir)}\n`);
    process.exit(2);
  }
  (async () => {
    await initBackend({ force: 'cpu' });
    await train({ ...killRunOptions(dir), maxSteps: 100000 });
  })().catch((e) => {
    process.stderr.write(String(e) + '\n');
    process.exit(1);
  });
}
