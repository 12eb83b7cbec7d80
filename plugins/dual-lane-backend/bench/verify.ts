/*
 * Bundle verification throughput on one thread, next to raw ECDSA P-256
 * verification measured in the same process.
 *
 *   yarn workspace @dual-lane/plugin-dual-lane-backend bench:verify
 *
 * Prints `name: value unit` lines. Every bundle is distinct (no outcome
 * cache hits): the figure is what a cold re-verification of N artifacts
 * costs. Environment: BENCH_BUNDLES (default 300), BENCH_SECONDS (default 3).
 */
import crypto from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { readVerificationConfig } from '../src/services/verification/config';
import { IdentityRegistry } from '../src/services/verification/identityRegistry';
import { SignatureVerifier } from '../src/services/verification/signatureVerifier';
import { TrustedRoots } from '../src/services/verification/trustedRoots';
import { createTestSigstore } from '@dual-lane/plugin-dual-lane-node/testUtils';
import { slsaV1Statement } from '@dual-lane/plugin-dual-lane-node/testUtils';

const ISSUER = 'https://token.actions.githubusercontent.com';
const WORKFLOW =
  'https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main';
const BUNDLES = Number(process.env.BENCH_BUNDLES ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const sigstore = await createTestSigstore();
  const keys = sigstore.createKeyPair();
  const config = readVerificationConfig(
    new ConfigReader({
      dualLane: {
        verification: {
          trustedRootPath: 'bench-trusted-root.json',
          identities: [{ name: 'widget', issuer: ISSUER, subject: WORKFLOW }],
          keys: [{ name: 'release-key', publicKey: keys.publicKeyPem }],
        },
      },
    }),
  );
  const registry = new IdentityRegistry(config);
  const trustedRoots = new TrustedRoots({
    roots: config.trustedRoots,
    registry,
    loadRoot: async () => sigstore.trustedRootJSON,
  });

  const makeSubjects = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const artifact = crypto.randomBytes(64 * 1024);
      const digest = crypto.createHash('sha256').update(artifact).digest('hex');
      const payload = Buffer.from(
        JSON.stringify(
          slsaV1Statement({
            subjects: [{ name: `artifact-${i}.tar.gz`, sha256: digest }],
            repository: 'acme/widget',
            commit: crypto.randomBytes(20).toString('hex'),
          }),
        ),
      );
      return { digest: `sha256:${digest}`, payload };
    });

  const t0 = Date.now();
  const keyless = [];
  for (const s of makeSubjects(BUNDLES)) {
    keyless.push({
      ...s,
      bundle: await sigstore.signKeyless({
        payload: s.payload,
        identity: WORKFLOW,
        issuer: ISSUER,
      }),
    });
  }
  const keyBased = [];
  for (const s of makeSubjects(BUNDLES)) {
    keyBased.push({
      ...s,
      bundle: await sigstore.signWithKey({
        payload: s.payload,
        privateKey: keys.privateKey,
        hint: 'release-key',
      }),
    });
  }
  const makeMs = (Date.now() - t0) / (2 * BUNDLES);

  async function throughput(set: typeof keyless): Promise<number> {
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      // A new verifier per round: its outcome cache starts empty.
      const verifier = new SignatureVerifier({ trustedRoots, registry });
      const start = process.hrtime.bigint();
      for (const b of set) {
        const result = await verifier.verify(b.bundle, { digest: b.digest });
        if (result.outcome !== 'verified') {
          throw new Error(`bench bundle did not verify: ${result.reason}`);
        }
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      rounds.push(set.length / seconds);
    }
    return median(rounds);
  }

  await trustedRoots.get();
  const keylessRate = await throughput(keyless);
  const keyRate = await throughput(keyBased);

  const data = crypto.randomBytes(256);
  const signature = crypto.sign('sha256', data, keys.privateKey);
  const rawRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round((SECONDS / 5) * 1e9));
    while (process.hrtime.bigint() < end) {
      for (let i = 0; i < 100; i++)
        crypto.verify('sha256', data, keys.publicKey, signature);
      n += 100;
    }
    rawRounds.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  const rawRate = median(rawRounds);

  const avg = (set: typeof keyless) =>
    set.reduce(
      (sum, b) => sum + Buffer.byteLength(JSON.stringify(b.bundle)),
      0,
    ) / set.length;
  const lines: Array<[string, number, string]> = [
    [
      'keyless_dsse_bundle_verifications_per_second_one_thread',
      keylessRate,
      'verifications/s',
    ],
    [
      'key_dsse_bundle_verifications_per_second_one_thread',
      keyRate,
      'verifications/s',
    ],
    [
      'raw_ecdsa_p256_verifications_per_second_one_thread',
      rawRate,
      'verifications/s',
    ],
    ['keyless_over_raw_ecdsa_ratio', keylessRate / rawRate, 'ratio'],
    ['key_over_raw_ecdsa_ratio', keyRate / rawRate, 'ratio'],
    ['bundles_per_set', BUNDLES, 'bundles'],
    ['keyless_bundle_size_avg', avg(keyless), 'bytes'],
    ['key_bundle_size_avg', avg(keyBased), 'bytes'],
    ['raw_ecdsa_message_size', data.length, 'bytes'],
    ['bundle_make_time_avg', makeMs, 'ms'],
  ];
  for (const [name, value, unit] of lines) {
    const shown =
      unit === 'ratio'
        ? value.toFixed(4)
        : value.toFixed(unit === 'ms' ? 1 : 0);
    process.stdout.write(`${name}: ${shown} ${unit}\n`);
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
