/**
 * The `gan` CLI from source in a child process (`node --require tsx/cjs test/cli/ganChild.ts ARGS…`),
 * for tests that need a real process: signals, or a backend of its own. Exit code = the CLI's.
 * Does nothing when merely imported.
 */
import { main } from '../../src/cli/main';

if (require.main === module) {
  main(['node', 'gan', ...process.argv.slice(2)]).then((code) => {
    process.exitCode = code;
  });
}
