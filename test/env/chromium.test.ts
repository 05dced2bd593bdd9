import { strict as assert } from 'assert';
import { findChromium } from '../../src/env/chromium';

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH, then the usual install locations, and never guesses', () => {
    const present = new Set(['/usr/bin/chromium-browser', '/opt/c/chrome']);
    const exists = (p: string) => present.has(p);
    assert.equal(findChromium({ CHROMIUM_PATH: '/opt/c/chrome' }, exists), '/opt/c/chrome');
    assert.equal(findChromium({ CHROMIUM_PATH: '/missing' }, exists), undefined);
    assert.equal(findChromium({}, exists), '/usr/bin/chromium-browser');
    assert.equal(
      findChromium({}, () => false),
      undefined,
    );
  });
});
