/**
 * The registered `tslab` kernel (patched tslab, see patches/) against the Jupyter kernel test suite
 * (jupyter_kernel_test, Debian's python3-jupyter-kernel-test) and our own protocol-level cases, all in
 * test_tslab_kernel.py. The Python suite runs once; each of its tests is reported here by name.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { jupyterEnv, listKernels, KERNEL_NAME } from '../../src/env/jupyter';
import { kernelTestPython, tslabPatchState } from '../../src/env/kernel';

/** jupyter_kernel_test's own tests (all must pass) and the two this kernel has no feature for. */
const SUITE_TESTS = [
  'test_kernel_info',
  'test_execute_stdout',
  'test_execute_stderr',
  'test_completion',
  'test_is_complete',
  'test_inspect',
  'test_error',
  'test_execute_result',
  'test_display_data',
  'test_history',
  'test_clear_output',
  'test_pager',
];
/** Suite tests this kernel has no feature for (none since `name?` pages help, and clearOutput exists). */
const UNSUPPORTED: string[] = [];
const OWN_TESTS = [
  'test_kernel_info_complete',
  'test_error_traceback_points_at_reader_line',
  'test_error_in_function_of_earlier_cell',
  'test_error_with_top_level_await',
  'test_thrown_non_error',
  'test_type_error_is_an_error',
  'test_timer_exception_fails_running_cell',
  'test_unhandled_rejection_fails_running_cell',
  'test_unhandled_rejection_during_await_fails_cell',
  'test_error_after_cell_finished_goes_to_that_cell',
  'test_object_shorthand_across_cells',
  'test_execute_input_carries_the_execution_count',
  'test_no_execute_result_for_statements',
  'test_execute_result_has_execution_count',
  'test_stop_on_error_false_runs_next_request',
  'test_stop_on_error_aborts_queued_request',
];

describe('tslab kernel: Jupyter kernel test suite + our cases (test/kernel/test_tslab_kernel.py)', function () {
  this.timeout(900_000);
  const results = new Map<string, string>();
  let output = '';
  let status: number | null = null;

  before(function () {
    assert.equal(
      tslabPatchState(),
      'patched',
      'node_modules/tslab is not patched: run `npm ci` (or npx patch-package)',
    );
    const kernel = listKernels().find((k) => k.name === KERNEL_NAME);
    assert.ok(
      kernel && kernel.ours,
      `kernel "${KERNEL_NAME}" is not this project's: run \`npm run kernel:install\``,
    );
    const python = kernelTestPython();
    assert.ok(
      python,
      'jupyter_kernel_test is missing: `sudo apt-get install -y python3-jupyter-kernel-test` (npm test installs it as root)',
    );
    const r = spawnSync(python, ['-m', 'unittest', '-v', 'test_tslab_kernel'], {
      cwd: __dirname,
      encoding: 'utf8',
      timeout: 840_000,
      env: jupyterEnv({ TSLAB_KERNEL_NAME: KERNEL_NAME }),
    });
    output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    status = r.status;
    for (const m of output.matchAll(
      /^(test_\w+) \([\w.]+\) \.\.\. (ok|FAIL|ERROR|skipped.*|expected failure)$/gm,
    )) {
      results.set(m[1], m[2]);
    }
  });

  const check = (name: string) => () => {
    assert.equal(
      results.get(name),
      'ok',
      `${name}: ${results.get(name) ?? 'did not run'}\n${output.slice(-6000)}`,
    );
  };
  for (const name of SUITE_TESTS) it(`jupyter_kernel_test ${name}`, check(name));
  for (const name of OWN_TESTS) it(`own case ${name}`, check(name));

  it('skips no test of the suite; the run passes', () => {
    const skipped = [...results].filter(([, v]) => v.startsWith('skipped')).map(([k]) => k);
    assert.deepEqual(skipped.sort(), UNSUPPORTED);
    const known = new Set([...SUITE_TESTS, ...UNSUPPORTED, ...OWN_TESTS]);
    assert.deepEqual(
      [...results.keys()].filter((k) => !known.has(k)),
      [],
      'tests in test_tslab_kernel.py not listed here',
    );
    assert.equal(status, 0, output.slice(-6000));
  });
});
