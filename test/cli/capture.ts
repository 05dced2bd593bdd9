// Run the `gan` CLI in-process with stdout/stderr captured; resets process.exitCode afterwards so a
// command that sets it (check-backend → 1) does not fail the test run itself.
import { main } from '../../src/cli/main';

export async function gan(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'gan', ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    process.exitCode = undefined;
  }
}
