import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { createTestSigstore } from './testSigstore';

describe('createTestSigstore', () => {
  it('makes keyless and key bundles that sigstore-js verifies', async () => {
    const sig = await createTestSigstore();
    const root = TrustedRoot.fromJSON(sig.trustedRootJSON);
    const verifier = new Verifier(toTrustMaterial(root));
    const payload = Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1' }),
    );
    for (const bundleVersion of ['0.1', '0.2', '0.3'] as const) {
      const bundle = await sig.signKeyless({
        payload,
        identity:
          'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
        extensions: { sourceRepositoryUri: 'https://github.com/acme/widget' },
        bundleVersion,
        timestamp: bundleVersion === '0.3',
      });
      const signer = verifier.verify(toSignedEntity(bundleFromJSON(bundle)));
      expect(signer.identity?.extensions?.issuer).toBe(
        'https://token.actions.githubusercontent.com',
      );
    }
    const blob = Buffer.from('policies');
    const msg = await sig.signKeyless({
      payload: blob,
      kind: 'message',
      identity: 'mailto:a@b.c',
      issuer: 'https://x',
    });
    verifier.verify(toSignedEntity(bundleFromJSON(msg), blob));
    expect(() =>
      verifier.verify(
        toSignedEntity(bundleFromJSON(msg), Buffer.from('other')),
      ),
    ).toThrow();
    const keys = sig.createKeyPair();
    const keyed = await sig.signWithKey({
      payload,
      privateKey: keys.privateKey,
      hint: 'release-key',
    });
    const keyVerifier = new Verifier(
      toTrustMaterial(root, () => ({
        publicKey: keys.publicKey,
        validFor: () => true,
      })),
    );
    keyVerifier.verify(toSignedEntity(bundleFromJSON(keyed)));
  });
});
