import { MAX_SBOM_DEPTH, validateSbom } from './sbomValidator';
import { cycloneDxSbom, deeplyNestedSbom } from '@dual-lane/plugin-dual-lane-node/testUtils';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('validateSbom', () => {
  it('records components nested 1,000 deep as a failure instead of overflowing the stack', () => {
    const data = json(deeplyNestedSbom(1000));
    expect(data.length).toBeGreaterThan(40_000);
    const result = validateSbom(data);
    expect(result).toEqual({
      outcome: 'failed',
      reason: expect.stringContaining(
        `sbom.cdx.json nests deeper than ${MAX_SBOM_DEPTH} levels at /components/0/components/0/`,
      ),
    });
  });

  it('still validates a SBOM nested just within the limit', () => {
    // Each component level is two JSON levels (the component and its list).
    const depth = Math.floor((MAX_SBOM_DEPTH - 3) / 2);
    expect(validateSbom(json(deeplyNestedSbom(depth)))).toMatchObject({
      outcome: 'verified',
      summary: { componentCount: depth + 1 },
    });
    expect(validateSbom(json(deeplyNestedSbom(depth + 1))).reason).toContain(
      'nests deeper than',
    );
  });

  it('summarises a well-formed SBOM', () => {
    expect(validateSbom(json(cycloneDxSbom()))).toMatchObject({
      outcome: 'verified',
      summary: { componentCount: 4 },
    });
  });
});
