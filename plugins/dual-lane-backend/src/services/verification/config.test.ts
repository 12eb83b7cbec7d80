import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { createTestKeyPair } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { readVerificationConfig } from './config';

const read = (verification: object, root: object = {}) =>
  readVerificationConfig(
    new ConfigReader({ ...root, dualLane: { verification } }),
    { baseDir: '/srv/backstage' },
  );

describe('readVerificationConfig', () => {
  it('puts the default TUF cache in a directory of the backend, not a shared one', () => {
    expect(
      read({}, { backend: { workingDirectory: '/var/lib/backstage' } })
        .trustedRoots,
    ).toEqual([
      expect.objectContaining({
        name: 'public-good',
        source: expect.objectContaining({
          type: 'tuf',
          cachePath: '/var/lib/backstage/dual-lane/sigstore-tuf/public-good',
        }),
      }),
    ]);
    const [root] = read({}).trustedRoots;
    expect(root.source).toMatchObject({
      cachePath: path.join(
        os.tmpdir(),
        `dual-lane-${process.getuid!()}`,
        'sigstore-tuf',
        'public-good',
      ),
    });
    expect(
      read({ tuf: { cachePath: 'cache/tuf' } }).trustedRoots[0].source,
    ).toMatchObject({
      cachePath: '/srv/backstage/cache/tuf',
    });
  });

  it('reads several trusted roots with their own thresholds, defaulting to the top-level ones', () => {
    const config = read({
      keyless: { timestampThreshold: 0 },
      trustedRoots: [
        { name: 'public-good', tuf: {} },
        {
          name: 'github',
          path: 'github-trusted-root.json',
          keyless: {
            tlogThreshold: 0,
            ctlogThreshold: 0,
            timestampThreshold: 1,
          },
        },
      ],
    });
    expect(config.trustedRoots).toEqual([
      {
        name: 'public-good',
        source: expect.objectContaining({
          type: 'tuf',
          mirrorUrl: 'https://tuf-repo-cdn.sigstore.dev',
        }),
        keyless: { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 0 },
        keyBased: {
          tlogThreshold: 1,
          ctlogThreshold: 0,
          timestampThreshold: 1,
        },
      },
      {
        name: 'github',
        source: {
          type: 'file',
          path: '/srv/backstage/github-trusted-root.json',
        },
        keyless: { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 1 },
        keyBased: {
          tlogThreshold: 1,
          ctlogThreshold: 0,
          timestampThreshold: 1,
        },
      },
    ]);
    // Two TUF roots never share a cache.
    const tufs = read({
      trustedRoots: [
        { name: 'a', tuf: {} },
        { name: 'b', tuf: { mirrorUrl: 'https://tuf.example' } },
      ],
    });
    expect(
      new Set(tufs.trustedRoots.map(r => (r.source as any).cachePath)).size,
    ).toBe(2);
  });

  it.each([
    [
      {
        trustedRoots: [
          { name: 'a', path: 'x' },
          { name: 'a', path: 'y' },
        ],
      },
      "duplicate trusted root name 'a'",
    ],
    [
      { trustedRoots: [{ name: 'a', path: 'x', tuf: {} }] },
      'needs exactly one of path or tuf',
    ],
    [{ trustedRoots: [{ name: 'a' }] }, 'needs exactly one of path or tuf'],
    [
      { trustedRootPath: 'x', trustedRoots: [{ name: 'a', path: 'x' }] },
      'trustedRoots replaces trustedRootPath and tuf',
    ],
    [{ trustedRoots: [] }, 'must name at least one root'],
  ])('refuses %j', (verification, message) => {
    expect(() => read(verification)).toThrow(message);
  });

  it('refuses two keys with the same name, as it does identities', () => {
    const a = createTestKeyPair();
    const b = createTestKeyPair();
    expect(() =>
      read({
        keys: [
          { name: 'release', publicKey: a.publicKeyPem },
          { name: 'release', publicKey: b.publicKeyPem },
        ],
      }),
    ).toThrow("dualLane.verification.keys[1]: duplicate key name 'release'");
    expect(() =>
      read({
        keys: [
          { name: 'old', publicKey: a.publicKeyPem },
          { name: 'new', publicKey: a.publicKeyPem },
        ],
      }),
    ).toThrow(
      "dualLane.verification.keys[1] (new) is the same public key as 'old'",
    );
  });
});
