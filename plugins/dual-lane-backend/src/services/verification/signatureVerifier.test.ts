import { ConfigReader } from '@backstage/config';
import { createPolicyBundle } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { createTestSigstore, TestSigstore } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { readVerificationConfig } from './config';
import { IdentityRegistry } from './identityRegistry';
import { sha256Digest, SignatureVerifier } from './signatureVerifier';
import { TrustedRoots } from './trustedRoots';

let sigstore: TestSigstore;
beforeAll(async () => {
  sigstore = await createTestSigstore();
});

function verifierWith(keys: Array<{ name: string; publicKey: string }>) {
  const config = readVerificationConfig(
    new ConfigReader({
      dualLane: {
        verification: { trustedRootPath: '/unused/trusted_root.json', keys },
      },
    }),
  );
  const registry = new IdentityRegistry(config);
  const trustedRoots = new TrustedRoots({
    roots: config.trustedRoots,
    registry,
    loadRoot: async () => sigstore.trustedRootJSON,
  });
  return new SignatureVerifier({ trustedRoots, registry });
}

describe('SignatureVerifier', () => {
  it('fails a bundle signed by another key than the one it names, without calling it tampered', async () => {
    const k1 = sigstore.createKeyPair();
    const k2 = sigstore.createKeyPair();
    const verifier = verifierWith([{ name: 'k1', publicKey: k1.publicKeyPem }]);
    const bytes = await createPolicyBundle();
    const bundle = await sigstore.signWithKey({
      payload: bytes,
      kind: 'message',
      privateKey: k2.privateKey,
      hint: 'k1',
    });
    const result = await verifier.verify(bundle, {
      digest: sha256Digest(bytes),
      bytes,
    });
    expect(result).toMatchObject({
      outcome: 'failed',
      tampered: false,
      reason:
        "wrong key: the signature does not verify with key 'k1' that the bundle names, so it was made with another key (its transparency-log entry shows the signed content is unchanged)",
    });
  });

  it('still calls a changed artifact tampered', async () => {
    const k1 = sigstore.createKeyPair();
    const verifier = verifierWith([{ name: 'k1', publicKey: k1.publicKeyPem }]);
    const bytes = await createPolicyBundle();
    const bundle = await sigstore.signWithKey({
      payload: bytes,
      kind: 'message',
      privateKey: k1.privateKey,
      hint: 'k1',
    });
    const other = await createPolicyBundle({ revision: 'evil' });
    const result = await verifier.verify(bundle, {
      digest: sha256Digest(other),
      bytes: other,
    });
    expect(result).toMatchObject({ outcome: 'failed', tampered: true });
  });

  it('does not serve a digest-only outcome for a check that has the bytes', async () => {
    const k1 = sigstore.createKeyPair();
    const verifier = verifierWith([{ name: 'k1', publicKey: k1.publicKeyPem }]);
    const bytes = await createPolicyBundle();
    const bundle = await sigstore.signWithKey({
      payload: bytes,
      kind: 'message',
      privateKey: k1.privateKey,
      hint: 'k1',
    });
    const digest = sha256Digest(bytes);
    expect((await verifier.verify(bundle, { digest })).outcome).toBe(
      'unverified',
    );
    expect((await verifier.verify(bundle, { digest, bytes })).outcome).toBe(
      'verified',
    );
  });
});
