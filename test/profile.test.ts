import { strict as assert } from 'assert';
import { pickByProfile, profileName } from '../src/profile';

describe('profiles', () => {
  it('reads GAN_PROFILE, defaulting to default', () => {
    assert.equal(profileName({}), 'default');
    assert.equal(profileName({ GAN_PROFILE: ' Quick ' }), 'quick');
    assert.throws(() => profileName({ GAN_PROFILE: 'huge' }), /Unknown GAN_PROFILE "huge".*quick, default/);
  });
  it('picks per profile and device class', () => {
    const v = { quick: 1, cpu: 20, gpu: 100 };
    assert.equal(pickByProfile(v, true, 'quick'), 1);
    assert.equal(pickByProfile(v, false, 'default'), 20);
    assert.equal(pickByProfile(v, true, 'default'), 100);
  });
});
