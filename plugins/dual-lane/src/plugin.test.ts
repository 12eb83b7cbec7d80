import {
  dualLanePlugin,
  DualLanePage,
  EntityDualLaneComplianceCard,
  EntityDualLaneGatesContent,
  EntityDualLaneSupplyChainContent,
} from './index';
import { dualLaneApiRef } from './api';

describe('dual-lane legacy plugin', () => {
  it('provides the API client and the routable extensions', () => {
    expect(dualLanePlugin.getId()).toBe('dual-lane');
    expect([...dualLanePlugin.getApis()].map(f => f.api.id)).toEqual([
      dualLaneApiRef.id,
    ]);
    for (const extension of [
      DualLanePage,
      EntityDualLaneGatesContent,
      EntityDualLaneSupplyChainContent,
      EntityDualLaneComplianceCard,
    ]) {
      expect(extension).toBeInstanceOf(Function);
    }
  });
});
