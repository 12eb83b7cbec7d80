import crypto from 'node:crypto';
import { hexId, Random } from './random';
import { ChangeIdea, DEMO_HOST, DEMO_ORG } from './story';

/*
 * What goes into the demo's `artifact.tar.gz` (the seed's schema) and
 * `policies.tar.gz`, and the SLSA provenance GitHub's
 * attest-build-provenance action writes for the template's SLSA workflow.
 */

export const sha256Hex = (data: Buffer | string) =>
  crypto.createHash('sha256').update(data).digest('hex');

export const repositoryUrl = (repo: string) =>
  `https://${DEMO_HOST}/${DEMO_ORG}/${repo}`;

/** The SLSA workflow's identity: the certificate SAN of its signatures. */
export const slsaWorkflowIdentity = (repo: string) =>
  `${repositoryUrl(
    repo,
  )}/.github/workflows/slsa-verification.yml@refs/heads/main`;

/** The policy workflow's identity, which signs policies.tar.gz (cosign sign-blob). */
export const policyWorkflowIdentity = (repo: string) =>
  `${repositoryUrl(
    repo,
  )}/.github/workflows/policy-verification.yml@refs/heads/main`;

export const GITHUB_HOSTED_RUNNER =
  'https://github.com/actions/runner/github-hosted';
export const GITHUB_ACTIONS_ISSUER =
  'https://token.actions.githubusercontent.com';

export function changesPatch(change: ChangeIdea, random: Random): string {
  const fn = change.slug.replace(/-([a-z])/g, (_m, ch: string) =>
    ch.toUpperCase(),
  );
  const oldLines = random.int(8, 40);
  return [
    `diff --git a/${change.file} b/${change.file}`,
    `index ${hexId(change.slug, 'old', 7)}..${hexId(
      change.slug,
      'new',
      7,
    )} 100644`,
    `--- a/${change.file}`,
    `+++ b/${change.file}`,
    `@@ -${oldLines},6 +${oldLines},9 @@`,
    ' ',
    `-// TODO(${change.slug}): not implemented`,
    `+// ${change.title}`,
    `+export function ${fn}(input: unknown) {`,
    `+  return validate${fn.charAt(0).toUpperCase()}${fn.slice(1)}(input);`,
    '+}',
    ' ',
    '',
  ].join('\n');
}

const LIBRARIES: Array<[string, string, string]> = [
  ['express', '4.21.2', 'MIT'],
  ['zod', '3.25.76', 'MIT'],
  ['pino', '9.6.0', 'MIT'],
  ['pg', '8.13.1', 'MIT'],
  ['undici', '6.21.1', 'MIT'],
  ['luxon', '3.5.0', 'MIT'],
  ['@opentelemetry/api', '1.9.0', 'Apache-2.0'],
  ['ioredis', '5.4.2', 'MIT'],
  ['kafkajs', '2.2.4', 'MIT'],
  ['jose', '5.9.6', 'MIT'],
  ['react', '18.3.1', 'MIT'],
  ['react-dom', '18.3.1', 'MIT'],
  ['yaml', '2.7.0', 'ISC'],
  ['lru-cache', '11.0.2', 'ISC'],
];

/** A CycloneDX 1.5 SBOM of the component's npm dependencies, as syft writes one. */
export function cycloneDxSbom(repo: string, version: string, random: Random) {
  const picked = random
    .sample(LIBRARIES, random.int(5, 9))
    .sort((a, b) => a[0].localeCompare(b[0]));
  const purl = (name: string, v: string) =>
    `pkg:npm/${name.replace('@', '%40')}@${v}`;
  const root = `pkg:npm/%40${DEMO_ORG}/${repo}@${version}`;
  const components = picked.map(([name, v, license]) => ({
    type: 'library',
    'bom-ref': purl(name, v),
    name,
    version: v,
    purl: purl(name, v),
    licenses: [{ license: { id: license } }],
    hashes: [{ alg: 'SHA-256', content: sha256Hex(`${name}@${v}`) }],
  }));
  const uuid = hexId(repo, version, 32);
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuid.slice(0, 8)}-${uuid.slice(
      8,
      12,
    )}-4${uuid.slice(13, 16)}-a${uuid.slice(17, 20)}-${uuid.slice(20, 32)}`,
    version: 1,
    metadata: {
      tools: {
        components: [{ type: 'application', name: 'syft', version: '1.18.1' }],
      },
      component: {
        type: 'application',
        'bom-ref': root,
        name: `@${DEMO_ORG}/${repo}`,
        version,
        purl: root,
      },
    },
    components,
    dependencies: [
      { ref: root, dependsOn: components.map(c => c['bom-ref']) },
      ...components.map(c => ({
        ref: c['bom-ref'],
        dependsOn: [] as string[],
      })),
    ],
  };
}

/** SLSA provenance v0.2 of changes.patch, as the seed's `attestation.intoto` holds it. */
export function patchAttestation(repo: string, commit: string, patch: string) {
  const uri = `git+${repositoryUrl(repo)}@refs/heads/main`;
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'changes.patch', digest: { sha256: sha256Hex(patch) } }],
    predicateType: 'https://slsa.dev/provenance/v0.2',
    predicate: {
      builder: { id: GITHUB_HOSTED_RUNNER },
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      invocation: {
        configSource: {
          uri,
          digest: { sha1: commit },
          entryPoint: '.github/workflows/slsa-verification.yml',
        },
      },
      materials: [{ uri, digest: { sha1: commit } }],
    },
  };
}

/** SLSA provenance v1 of artifact.tar.gz, as actions/attest-build-provenance writes it. */
export function artifactProvenance(options: {
  repo: string;
  repositoryId: number;
  artifactSha256: string;
  commit: string;
  runId: number;
}) {
  const url = repositoryUrl(options.repo);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'artifact.tar.gz', digest: { sha256: options.artifactSha256 } },
    ],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/main',
            repository: url,
            path: '.github/workflows/slsa-verification.yml',
          },
        },
        internalParameters: {
          github: {
            event_name: 'push',
            repository_id: String(options.repositoryId),
            repository_owner_id: '90210001',
            runner_environment: 'github-hosted',
          },
        },
        resolvedDependencies: [
          {
            uri: `git+${url}@refs/heads/main`,
            digest: { gitCommit: options.commit },
          },
        ],
      },
      runDetails: {
        builder: { id: GITHUB_HOSTED_RUNNER },
        metadata: {
          invocationId: `${url}/actions/runs/${options.runId}/attempts/1`,
        },
      },
    },
  };
}

/** The Fulcio extensions GitHub Actions puts in a workflow's signing certificate. */
export function actionsCertificateExtensions(
  repo: string,
  identity: string,
  commit: string,
  runId: number,
) {
  return {
    sourceRepositoryUri: repositoryUrl(repo),
    sourceRepositoryDigest: commit,
    sourceRepositoryRef: 'refs/heads/main',
    buildSignerUri: identity,
    buildConfigUri: identity,
    runnerEnvironment: 'github-hosted',
    runInvocationUri: `${repositoryUrl(repo)}/actions/runs/${runId}/attempts/1`,
  };
}

/** The organisation's Kyverno policies at a version, in `Enforce` or (tampered) `Audit` mode. */
export function kyvernoPolicies(options: {
  signer: string;
  mode: 'Enforce' | 'Audit';
  slsaLevel: number;
}) {
  const header = (name: string, title: string) =>
    [
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata:',
      `  name: ${name}`,
      '  annotations:',
      `    policies.kyverno.io/title: ${title}`,
      'spec:',
      `  validationFailureAction: ${options.mode}`,
      '  background: true',
      '  rules:',
    ].join('\n');
  return {
    'require-signed-images.yaml': `${header(
      'require-signed-images',
      'Require signed images',
    )}
    - name: verify-signature
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ['registry.${DEMO_HOST}/${DEMO_ORG}/*']
          attestors:
            - entries:
                - keyless:
                    issuer: ${GITHUB_ACTIONS_ISSUER}
                    subject: '${options.signer}'
`,
    'require-digest.yaml': `${header(
      'require-image-digest',
      'Require image digests',
    )}
    - name: check-digest
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: images must use a digest
        pattern:
          spec:
            containers:
              - image: '*@sha256:*'
`,
    'require-slsa.yaml': `${header(
      'require-slsa-provenance',
      'Require SLSA provenance',
    )}
    - name: check-provenance
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ['registry.${DEMO_HOST}/${DEMO_ORG}/*']
          attestations:
            - type: https://slsa.dev/provenance/v1
              conditions:
                - all:
                    - key: '{{ buildDefinition.buildType }}'
                      operator: Equals
                      value: https://actions.github.io/buildtypes/workflow/v1
          # SLSA build level ${options.slsaLevel} or higher
`,
  };
}
