import { strict as assert } from 'assert';
import { CHROMIUM_ARGS } from '../../src/env/chromium';

describe('Chromium flags', () => {
  it('never lets the browser reach the network or download components', () => {
    for (const f of [
      '--headless',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]) {
      assert.ok(CHROMIUM_ARGS.includes(f), f);
    }
  });
});
