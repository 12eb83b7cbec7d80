import { normalizeRepositoryUri, readProvenance } from './provenanceChecker';
import { slsaV02Statement, slsaV1Statement } from '@dual-lane/plugin-dual-lane-node/testUtils';

describe('provenance reading', () => {
  it('normalises source URIs with refs, .git and git+ prefixes', () => {
    expect(
      normalizeRepositoryUri(
        'git+https://github.com/Acme/Widget@refs/heads/main',
      ),
    ).toBe('https://github.com/acme/widget');
    expect(normalizeRepositoryUri('https://github.com/acme/widget.git')).toBe(
      'https://github.com/acme/widget',
    );
    expect(normalizeRepositoryUri('https://github.com/acme/widget/')).toBe(
      'https://github.com/acme/widget',
    );
  });

  it('reads builder, source repository, commit and ref of v0.2 and v1 predicates alike', () => {
    const o = {
      subjects: [{ name: 'a', sha256: '00' }],
      repository: 'acme/widget',
      commit: 'c'.repeat(40),
      ref: 'refs/tags/v1',
    };
    for (const statement of [slsaV02Statement(o), slsaV1Statement(o)]) {
      expect(readProvenance(statement as any)).toMatchObject({
        builderId: 'https://github.com/actions/runner/github-hosted',
        sourceRepository: 'https://github.com/acme/widget',
        sourceCommit: 'c'.repeat(40),
        sourceRef: 'refs/tags/v1',
      });
    }
    expect(
      readProvenance(
        slsaV1Statement({
          ...o,
          extraExternalParameters: { script: 'curl | sh' },
        }) as any,
      ).unknownParameters,
    ).toEqual(['script']);
  });
});
