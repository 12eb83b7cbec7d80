import { ConfigReader } from '@backstage/config';
import { globToRegExp, readVerificationConfig } from './config';
import { IdentityRegistry } from './identityRegistry';

const ISSUER = 'https://token.actions.githubusercontent.com';

function registry(
  identities: object[],
  now = new Date('2026-11-20T00:00:00Z'),
) {
  const config = readVerificationConfig(
    new ConfigReader({ dualLane: { verification: { identities } } }),
  );
  return new IdentityRegistry(config, () => now);
}

describe('IdentityRegistry', () => {
  it('anchors and escapes SAN globs: a prefix or a look-alike never matches', () => {
    expect(
      globToRegExp('https://github.com/acme/wid').test(
        'https://github.com/acme/widget',
      ),
    ).toBe(false);
    expect(
      globToRegExp('https://github.com/acme/*').test(
        'https://github.com/acme/widget',
      ),
    ).toBe(true);
    expect(
      globToRegExp('https://github.com/acme/*').test(
        'https://github.com/acme/widget/x',
      ),
    ).toBe(false);
    expect(
      globToRegExp('https://github.com/acme/**').test(
        'https://github.com/acme/widget/x',
      ),
    ).toBe(true);
    expect(
      globToRegExp('https://github.com/a.b').test('https://github.com/aXb'),
    ).toBe(false);
  });

  it('names the registry entry and why it is not in force', () => {
    const r = registry([
      {
        name: 'old',
        issuer: ISSUER,
        subject:
          'https://github.com/acme/widget/.github/workflows/a.yml@refs/heads/main',
        expiresAt: '2026-01-01T00:00:00Z',
      },
      {
        name: 'gone',
        issuer: ISSUER,
        subject:
          'https://github.com/acme/widget/.github/workflows/b.yml@refs/heads/main',
        status: 'revoked',
        revokedReason: 'leaked',
      },
      {
        name: 'ok',
        issuer: ISSUER,
        subjectPattern:
          'https://github.com/acme/*/.github/workflows/release.yml@refs/tags/v*',
      },
    ]);
    expect(
      r.matchCertificate({
        san: 'https://github.com/acme/widget/.github/workflows/a.yml@refs/heads/main',
        issuer: ISSUER,
      }),
    ).toEqual({
      ok: false,
      entryName: 'old',
      reason:
        "signer identity 'old' (https://github.com/acme/widget/.github/workflows/a.yml@refs/heads/main) was expired at 2026-01-01T00:00:00.000Z",
    });
    expect(
      r.matchCertificate({
        san: 'https://github.com/acme/widget/.github/workflows/b.yml@refs/heads/main',
        issuer: ISSUER,
      }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('was revoked: leaked'),
    });
    expect(
      r.matchCertificate({
        san: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
        issuer: ISSUER,
      }),
    ).toEqual({ ok: true, entryName: 'ok' });
    expect(r.policy([]).policy.identities.map(i => i.name)).toEqual(['ok']);
  });

  it('refuses an identity with neither or both of subject and subjectPattern', () => {
    expect(() => registry([{ name: 'x', issuer: ISSUER }])).toThrow(
      'needs exactly one of subject or subjectPattern',
    );
  });
});
