/** One user-error family: everything a person can fix is a UserError, which the CLI maps to exit code 2. */
import { strict as assert } from 'assert';
import { BackendError } from '../src/backend';
import { DatasetError } from '../src/data/errors';
import { UsageError, UserError } from '../src/errors';
import { CheckpointError } from '../src/train/checkpoint';
import { NonFiniteLossError, TrainConfigError } from '../src/train/engine';
import { gan } from './cli/capture';

describe('user errors', () => {
  it('dataset, checkpoint, config, backend and usage errors are UserErrors, named after their class', () => {
    for (const E of [DatasetError, CheckpointError, TrainConfigError, BackendError, UsageError]) {
      const e = new E('what was expected, what came, what to do');
      assert.ok(e instanceof UserError && e instanceof Error);
      assert.equal(e.name, E.name);
      assert.equal(e.message, 'what was expected, what came, what to do');
    }
    const diverged = new NonFiniteLossError('NaN', {} as never);
    assert.ok(!(diverged instanceof UserError), 'a diverging run is a failure (exit 1), not bad input');
  });

  it('the CLI prints a UserError from deep inside a command as one line, exit 2', async () => {
    // loadGenerator throws a CheckpointError (no checkpoint): no command re-wraps it any more.
    const r = await gan('sample', '--run', __dirname, '--out', '/tmp/never.png', '--backend', 'cpu');
    assert.equal(r.code, 2);
    assert.match(r.err, /^gan: .*latest\.json/m);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });
});
