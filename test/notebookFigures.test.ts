/** Where a notebook saves its figures: smoke-size (quick) runs never write over docs/figures. */
import { strict as assert } from 'assert';
import { figuresRoot } from '../src/notebook';

describe('figuresRoot', () => {
  it('keeps quick-profile figures out of docs/figures, whoever runs the notebook', () => {
    assert.equal(figuresRoot({}), 'docs/figures');
    assert.equal(figuresRoot({ GAN_PROFILE: 'default' }), 'docs/figures');
    assert.equal(figuresRoot({ GAN_PROFILE: 'quick' }), 'test-artifacts/figures');
    assert.equal(figuresRoot({ GAN_PROFILE: 'quick', GAN_FIGURES_DIR: '/tmp/f' }), '/tmp/f');
  });
});
