import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readVerificationConfig } from './config';
import { IdentityRegistry } from './identityRegistry';
import { TrustedRoots } from './trustedRoots';

describe('TrustedRoots', () => {
  it('refuses a TUF cache others can write before fetching anything', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-tuf-'));
    const cachePath = path.join(base, 'shared');
    fs.mkdirSync(cachePath);
    fs.chmodSync(cachePath, 0o777);
    const config = readVerificationConfig(
      new ConfigReader({
        dualLane: {
          verification: {
            // An unroutable mirror: reaching the network would fail differently.
            tuf: { mirrorUrl: 'https://tuf.invalid', cachePath },
          },
        },
      }),
    );
    const roots = new TrustedRoots({
      roots: config.trustedRoots,
      registry: new IdentityRegistry(config),
    });
    const set = await roots.get();
    expect(set.loaded).toEqual([]);
    expect(set.unavailable[0].error.message).toBe(
      `trusted root unavailable from tuf:https://tuf.invalid: refusing the directory ${cachePath}: it is writable by its group (mode 777) (set dualLane.verification.tuf.cachePath to a directory only the backend's user can write)`,
    );
    expect(roots.neverLoaded()).toEqual(['public-good']);
    fs.rmSync(base, { recursive: true, force: true });
  });
});
