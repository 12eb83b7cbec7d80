import { DualLaneApi } from '../api';

/** A DualLaneApi whose every method is a jest mock that rejects until set. */
export function mockDualLaneApi(
  overrides: Partial<jest.Mocked<DualLaneApi>> = {},
): jest.Mocked<DualLaneApi> {
  const unset = (name: string) =>
    jest.fn(() => Promise.reject(new Error(`${name} was not mocked`)));
  return {
    getGates: unset('getGates'),
    getSupplyChain: unset('getSupplyChain'),
    reverify: unset('reverify'),
    getEntityCompliance: unset('getEntityCompliance'),
    evaluateCompliance: unset('evaluateCompliance'),
    createWaiver: unset('createWaiver'),
    revokeWaiver: unset('revokeWaiver'),
    listCompliance: unset('listCompliance'),
    getComplianceRollups: unset('getComplianceRollups'),
    getComplianceCriteria: unset('getComplianceCriteria'),
    listWaivers: unset('listWaivers'),
    ...overrides,
  } as jest.Mocked<DualLaneApi>;
}
