import { ARTIFACT_BUNDLE_CHECKS, artifactStatusFrom } from './rules';

describe('artifactStatusFrom', () => {
  it('fails on any failed check, verifies only when all checks verified', () => {
    expect(
      artifactStatusFrom(ARTIFACT_BUNDLE_CHECKS, {
        signature: 'verified',
        provenance: 'verified',
        sbom: 'verified',
      }),
    ).toBe('verified');
    expect(
      artifactStatusFrom(ARTIFACT_BUNDLE_CHECKS, {
        signature: 'verified',
        provenance: 'failed',
        sbom: 'unverified',
      }),
    ).toBe('failed');
    expect(
      artifactStatusFrom(ARTIFACT_BUNDLE_CHECKS, {
        signature: 'verified',
        provenance: 'verified',
      }),
    ).toBe('unverified');
    expect(artifactStatusFrom([], {})).toBe('unverified');
  });
});
