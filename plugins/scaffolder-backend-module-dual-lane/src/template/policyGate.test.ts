import { ConfigReader } from '@backstage/config';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readOrgPolicyBundle } from '../services/config/orgPolicyBundle';
import { curlCalls, fakeCurl, writeTools } from '../__testUtils__/fakeTools';
import {
  cleanUpTemp,
  renderSkeleton,
  tmp,
} from '../__testUtils__/renderSkeleton';

afterAll(cleanUpTemp);

const IDENTITY =
  '^https://github\\.com/acme/policies/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+$';
const ORG_POLICY = {
  dualLane: {
    scaffolder: {
      orgPolicyBundle: {
        repository: 'acme/policies',
        identityRegexp: IDENTITY,
      },
    },
  },
};
const BUNDLE_BYTES = Buffer.from('policies of the organisation');
const DIGEST = `sha256:${createHash('sha256')
  .update(BUNDLE_BYTES)
  .digest('hex')}`;
const SIGSTORE_BUNDLE = {
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {
    certificate: { rawBytes: Buffer.from('cert').toString('base64') },
    tlogEntries: [],
  },
  messageSignature: {
    messageDigest: { algorithm: 'SHA2_256', digest: 'ZA==' },
    signature: 'c2ln',
  },
};

/** gh that serves a release of the policy repository; cosign that verifies or not. */
function tools(
  log: string,
  options: { verifies?: boolean; bundle?: unknown } = {},
) {
  const bundle = JSON.stringify(options.bundle ?? SIGSTORE_BUNDLE);
  return writeTools(tmp(), {
    gh: `printf 'gh %s\\n' "$*" >> ${JSON.stringify(log)}
if [ "$2" = view ]; then echo v1.2.0; exit 0; fi
dir=""; prev=""
for a in "$@"; do [ "$prev" = --dir ] && dir="$a"; prev="$a"; done
printf '%s' ${JSON.stringify(BUNDLE_BYTES.toString())} > "$dir/policies.tar.gz"
printf '%s' ${JSON.stringify(bundle)} > "$dir/policies.tar.gz.sigstore.json"
`,
    cosign: `printf 'cosign %s\\n' "$*" >> ${JSON.stringify(log)}
${
  options.verifies === false
    ? 'echo "none of the expected identities matched" >&2; exit 1'
    : 'exit 0'
}
`,
  });
}

describe("the policy gate verifies the organisation's signed policy bundle", () => {
  let configured: string;
  let unconfigured: string;
  beforeAll(async () => {
    configured = (await renderSkeleton(ORG_POLICY)).workspacePath;
    unconfigured = (await renderSkeleton()).workspacePath;
  });

  const verify = (workspace: string, toolsDir: string) => {
    const out = path.join(tmp(), 'org-policy');
    const outputs = path.join(tmp(), 'outputs');
    fs.writeFileSync(outputs, '');
    const result = spawnSync(
      path.join(workspace, 'scripts/verify-org-policy-bundle.sh'),
      [out],
      {
        cwd: workspace,
        encoding: 'utf8',
        env: {
          PATH: `${toolsDir}:${process.env.PATH}`,
          GITHUB_OUTPUT: outputs,
        },
      },
    );
    return { ...result, out, outputs: fs.readFileSync(outputs, 'utf8') };
  };

  it('verifies the latest release against the configured signer and records what it ran against', () => {
    const log = path.join(tmp(), 'log');
    const result = verify(configured, tools(log));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `::notice title=dual-lane policy bundle::policy-digest=${DIGEST} version=v1.2.0 source=acme/policies`,
    );
    expect(result.outputs.split('\n')).toEqual(
      expect.arrayContaining([
        'configured=true',
        'version=v1.2.0',
        `digest=${DIGEST}`,
        'repository=acme/policies',
      ]),
    );
    const calls = fs.readFileSync(log, 'utf8').split('\n');
    expect(calls[0]).toBe(
      'gh release view --repo acme/policies --json tagName --jq .tagName',
    );
    expect(calls[1]).toMatch(
      /^gh release download v1\.2\.0 --repo acme\/policies --dir .* --pattern policies\.tar\.gz --pattern policies\.tar\.gz\.sigstore\.json$/,
    );
    expect(calls[2]).toBe(
      `cosign verify-blob --bundle ${result.out}/policies.tar.gz.sigstore.json --certificate-identity-regexp ${IDENTITY} --certificate-oidc-issuer https://token.actions.githubusercontent.com ${result.out}/policies.tar.gz`,
    );
    expect(
      JSON.parse(
        fs.readFileSync(path.join(result.out, 'org-policy.json'), 'utf8'),
      ),
    ).toEqual({
      repository: 'acme/policies',
      version: 'v1.2.0',
      digest: DIGEST,
      asset: 'policies.tar.gz',
      url: 'https://github.com/acme/policies/releases/tag/v1.2.0',
    });
  });

  it("fails on a bundle signed by someone else, or in cosign v2's legacy format", () => {
    const wrongSigner = verify(
      configured,
      tools(path.join(tmp(), 'log'), { verifies: false }),
    );
    expect(wrongSigner).toMatchObject({
      status: 1,
      stdout: expect.stringContaining(
        '::error title=dual-lane policy bundle::acme/policies v1.2.0 policies.tar.gz is not signed by',
      ),
    });
    const legacy = verify(
      configured,
      tools(path.join(tmp(), 'log'), {
        bundle: { base64Signature: 'c2ln', cert: 'Y2VydA==', rekorBundle: {} },
      }),
    );
    expect(legacy).toMatchObject({
      status: 1,
      stdout: expect.stringContaining("cosign's legacy bundle format"),
    });
  });

  it('says so and passes where no organisation bundle is configured', () => {
    const result = verify(unconfigured, tools(path.join(tmp(), 'log')));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'no organisation policy bundle is configured (dualLane.scaffolder.orgPolicyBundle)',
    );
    expect(result.outputs.trim()).toBe('configured=false');
  });

  it('records the version and this gate run in Backstage in the shapes the ingest routes take', () => {
    const verified = verify(configured, tools(path.join(tmp(), 'log')));
    const log = path.join(tmp(), 'curl.log');
    const head = 'd'.repeat(40);
    const result = spawnSync(
      path.join(configured, 'scripts/record-policy-gate.sh'),
      [verified.out, 'success', head],
      {
        cwd: configured,
        encoding: 'utf8',
        env: {
          PATH: `${writeTools(tmp(), { curl: fakeCurl(log) })}:${
            process.env.PATH
          }`,
          GITHUB_REPOSITORY: 'acme/payments',
          GITHUB_RUN_ID: '42',
          GITHUB_RUN_ATTEMPT: '2',
          GITHUB_SERVER_URL: 'https://github.com',
          BACKSTAGE_URL: 'https://backstage.example.com',
          BACKSTAGE_INGEST_TOKEN: 'ingest-token',
        },
      },
    );
    expect(result.status).toBe(0);
    const [policy, gateRun] = curlCalls(log);
    expect(policy.url).toBe(
      'https://backstage.example.com/api/dual-lane/ingest/artifacts',
    );
    expect(policy.fields).toMatchObject({
      repository: 'acme/payments',
      kind: 'policy-bundle',
      name: 'acme/policies/policies',
      version: 'v1.2.0',
      sourceUrl: 'https://github.com/acme/policies/releases/tag/v1.2.0',
    });
    expect(gateRun.url).toBe(
      'https://backstage.example.com/api/dual-lane/ingest/gate-runs',
    );
    expect(gateRun.headers).toEqual([
      'Authorization: Bearer ingest-token',
      'Content-Type: application/json',
    ]);
    const [run] = gateRun.body.runs;
    // Only fields the route's strict schema knows (ingestGateRunsRoutes.ts).
    expect(Object.keys(run).sort()).toEqual([
      'checkName',
      'completedAt',
      'conclusion',
      'detailsUrl',
      'externalId',
      'gate',
      'headSha',
      'policyDigest',
      'repository',
      'status',
    ]);
    expect(run).toMatchObject({
      repository: 'acme/payments',
      headSha: head,
      gate: 'Policy Verification / Validate Policy Bundle',
      checkName: 'Validate Policy Bundle',
      status: 'completed',
      conclusion: 'success',
      externalId: 'github-actions/42/2/policy-gate',
      detailsUrl: 'https://github.com/acme/payments/actions/runs/42',
      policyDigest: DIGEST,
    });
    expect(run.policyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Date(run.completedAt).toISOString()).toBe(
      run.completedAt.replace('Z', '.000Z'),
    );
  });

  it('runs the check in the gate job and records only when a bundle was verified and Backstage is configured', () => {
    const workflow = parse(
      fs.readFileSync(
        path.join(configured, '.github/workflows/policy-verification.yml'),
        'utf8',
      ),
    );
    const steps = workflow.jobs['policy-bundle'].steps;
    const org = steps.find((s: any) => s.id === 'org');
    expect(org.run).toBe('./scripts/verify-org-policy-bundle.sh org-policy');
    const record = steps.find((s: any) =>
      /record-policy-gate\.sh/.test(s.run ?? ''),
    );
    expect(record.if).toBe(
      "always() && steps.org.outputs.configured == 'true' && env.BACKSTAGE_URL != '' && env.BACKSTAGE_INGEST_TOKEN != ''",
    );
    expect(
      JSON.parse(
        fs.readFileSync(
          path.join(configured, '.github/dual-lane/lane-config.json'),
          'utf8',
        ),
      ).orgPolicyBundle,
    ).toEqual({
      repository: 'acme/policies',
      asset: 'policies.tar.gz',
      identityRegexp: IDENTITY,
      issuer: 'https://token.actions.githubusercontent.com',
    });
  });
});

describe('dualLane.scaffolder.orgPolicyBundle', () => {
  const read = (bundle: object) =>
    readOrgPolicyBundle(
      new ConfigReader({
        dualLane: { scaffolder: { orgPolicyBundle: bundle } },
      }),
    );

  it('needs exactly one signer identity, an anchored pattern and an owner/name repository', () => {
    expect(() => read({ repository: 'acme/policies' })).toThrow(
      /set exactly one of identity and identityRegexp/,
    );
    expect(() =>
      read({
        repository: 'acme/policies',
        identityRegexp: 'https://github.com/acme/',
      }),
    ).toThrow(/identityRegexp must be anchored with \^ and \$/);
    expect(() =>
      read({ repository: 'policies', identity: 'https://x' }),
    ).toThrow(/repository must be owner\/name/);
    expect(
      read({
        repository: 'acme/policies',
        identity:
          'https://github.com/acme/policies/.github/workflows/release.yml@refs/tags/v1',
        version: 'v1.0.0',
        asset: 'org.policies.tar.gz',
      }),
    ).toEqual({
      repository: 'acme/policies',
      asset: 'org.policies.tar.gz',
      version: 'v1.0.0',
      identity:
        'https://github.com/acme/policies/.github/workflows/release.yml@refs/tags/v1',
      issuer: 'https://token.actions.githubusercontent.com',
    });
  });
});
