import { dualLanePlugin } from './plugin';

describe('dual-lane', () => {
  it('should export plugin', () => {
    expect(dualLanePlugin).toBeDefined();
  });
});
