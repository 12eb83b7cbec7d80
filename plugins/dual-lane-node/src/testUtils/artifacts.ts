import crypto from 'node:crypto';
import zlib from 'node:zlib';
import tar from 'tar-stream';

/*
 * Builders for the inputs the supply-chain checks read: tar.gz archives
 * (well-formed or hostile), the seed's artifact bundle, SLSA provenance
 * statements (v0.2 and v1), CycloneDX 1.5 SBOMs and Kyverno policy bundles.
 */

export interface RawTarEntry {
  name: string;
  type?:
    | 'file'
    | 'directory'
    | 'symlink'
    | 'link'
    | 'character-device'
    | 'block-device'
    | 'fifo';
  linkname?: string;
  content?: Buffer | string;
}

/** A `.tar.gz` with exactly the given entries, hostile ones included. */
export async function createTarGz(entries: RawTarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const gzip = zlib.createGzip();
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on('data', (c: Buffer) => chunks.push(c));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
  });
  pack.pipe(gzip);
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content =
      e.content === undefined ? Buffer.alloc(0) : Buffer.from(e.content);
    await new Promise<void>((resolve, reject) => {
      if (type === 'file') {
        pack.entry({ name: e.name, type, size: content.length }, content, err =>
          err ? reject(err) : resolve(),
        );
      } else {
        pack.entry({ name: e.name, type, linkname: e.linkname }, err =>
          err ? reject(err) : resolve(),
        );
      }
    });
  }
  pack.finalize();
  return done;
}

/** A gzip of `size` zero bytes inside one tar entry: a decompression bomb. */
export async function createTarBomb(size: number): Promise<Buffer> {
  return createTarGz([{ name: 'changes.patch', content: Buffer.alloc(size) }]);
}

export const sha256Hex = (data: Buffer | string) =>
  crypto.createHash('sha256').update(data).digest('hex');

export interface ProvenanceOptions {
  /** `sha256` hex digests of the subjects. */
  subjects: Array<{ name: string; sha256: string }>;
  /** `owner/name` on github.com. */
  repository: string;
  commit: string;
  ref?: string;
  builderId?: string;
  /** The v1 build type (default GitHub's workflow build type). */
  buildType?: string;
  /** Extra external parameters (v1), to test unknown ones. */
  extraExternalParameters?: Record<string, unknown>;
}

export const GITHUB_HOSTED_BUILDER =
  'https://github.com/actions/runner/github-hosted';

/** SLSA provenance v1 as GitHub's artifact attestations write it. */
export function slsaV1Statement(o: ProvenanceOptions) {
  const ref = o.ref ?? 'refs/heads/main';
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: o.subjects.map(s => ({
      name: s.name,
      digest: { sha256: s.sha256 },
    })),
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType:
          o.buildType ?? 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref,
            repository: `https://github.com/${o.repository}`,
            path: '.github/workflows/release.yml',
          },
          ...o.extraExternalParameters,
        },
        internalParameters: {
          github: { event_name: 'push', runner_environment: 'github-hosted' },
        },
        resolvedDependencies: [
          {
            uri: `git+https://github.com/${o.repository}@${ref}`,
            digest: { gitCommit: o.commit },
          },
        ],
      },
      runDetails: {
        builder: { id: o.builderId ?? GITHUB_HOSTED_BUILDER },
        metadata: {
          invocationId: `https://github.com/${o.repository}/actions/runs/1/attempts/1`,
        },
      },
    },
  };
}

/** SLSA provenance v0.2 in an in-toto v1 statement, as the seed's bundles carry it. */
export function slsaV02Statement(o: ProvenanceOptions) {
  const ref = o.ref ?? 'refs/heads/main';
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: o.subjects.map(s => ({
      name: s.name,
      digest: { sha256: s.sha256 },
    })),
    predicateType: 'https://slsa.dev/provenance/v0.2',
    predicate: {
      builder: { id: o.builderId ?? GITHUB_HOSTED_BUILDER },
      buildType:
        'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      invocation: {
        configSource: {
          uri: `git+https://github.com/${o.repository}@${ref}`,
          digest: { sha1: o.commit },
          entryPoint: '.github/workflows/release.yml',
        },
      },
      materials: [
        {
          uri: `git+https://github.com/${o.repository}@${ref}`,
          digest: { sha1: o.commit },
        },
      ],
    },
  };
}

/** A CycloneDX 1.5 SBOM with a root component, nested components and a dependency graph. */
export function cycloneDxSbom(
  options: { name?: string; components?: number } = {},
) {
  const count = options.components ?? 3;
  const components = Array.from({ length: count }, (_, i) => ({
    type: 'library',
    'bom-ref': `pkg:npm/dep-${i}@1.0.${i}`,
    name: `dep-${i}`,
    version: `1.0.${i}`,
    purl: `pkg:npm/dep-${i}@1.0.${i}`,
    licenses: [{ license: { id: i % 2 ? 'MIT' : 'Apache-2.0' } }],
    hashes: [{ alg: 'SHA-256', content: sha256Hex(`dep-${i}`) }],
    ...(i === 0
      ? {
          components: [
            {
              type: 'library',
              'bom-ref': 'pkg:npm/nested@2.0.0',
              name: 'nested',
              version: '2.0.0',
              purl: 'pkg:npm/nested@2.0.0',
            },
          ],
        }
      : {}),
  }));
  const root = `pkg:npm/${options.name ?? 'widget'}@1.0.0`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-11-20T10:00:00Z',
      component: {
        type: 'application',
        'bom-ref': root,
        name: options.name ?? 'widget',
        version: '1.0.0',
      },
    },
    components,
    dependencies: [
      { ref: root, dependsOn: components.slice(0, 2).map(c => c['bom-ref']) },
      ...components.map(c => ({
        ref: c['bom-ref'],
        dependsOn: [] as string[],
      })),
    ],
  };
}

/**
 * A CycloneDX 1.5 SBOM whose one component nests `depth` levels deep: at
 * 1,000 levels (48 KB) a recursive validator runs out of stack.
 */
export function deeplyNestedSbom(depth: number) {
  let component: Record<string, unknown> = { type: 'library', name: 'leaf' };
  for (let i = 0; i < depth; i++) {
    component = { type: 'library', name: `c${i}`, components: [component] };
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    components: [component],
  };
}

export interface ArtifactBundleOptions {
  changesPatch?: string;
  mergeBaseSha: string;
  /** Content of attestation.intoto (an in-toto statement or envelope); default none. */
  attestation?: unknown;
  sbom?: unknown;
  /** Raw SBOM text, e.g. malformed JSON. */
  sbomText?: string;
  rollbackSql?: string;
  extraEntries?: RawTarEntry[];
}

export const DEFAULT_PATCH = `diff --git a/README.md b/README.md
--- a/README.md
+++ b/README.md
@@ -1 +1 @@
-# widget
+# widget (dual-lane)
`;

/** The seed's `artifact.tar.gz`. */
export async function createArtifactBundle(
  o: ArtifactBundleOptions,
): Promise<Buffer> {
  const entries: RawTarEntry[] = [
    { name: 'changes.patch', content: o.changesPatch ?? DEFAULT_PATCH },
    { name: 'merge-base.sha', content: `${o.mergeBaseSha}\n` },
    {
      name: 'attestation.intoto',
      content:
        o.attestation === undefined
          ? '{}'
          : JSON.stringify(o.attestation, null, 2),
    },
    {
      name: 'sbom.cdx.json',
      content: o.sbomText ?? JSON.stringify(o.sbom ?? cycloneDxSbom(), null, 2),
    },
  ];
  if (o.rollbackSql)
    entries.push({ name: 'rollback.sql', content: o.rollbackSql });
  entries.push(...(o.extraEntries ?? []));
  return createTarGz(entries);
}

export const KYVERNO_REQUIRE_SIGNED = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-signed-images
spec:
  validationFailureAction: Enforce
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ["ghcr.io/acme/*"]
          attestors:
            - entries:
                - keyless:
                    issuer: https://token.actions.githubusercontent.com
                    subject: https://github.com/acme/*
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-image-digest
spec:
  rules: []
`;

export const REGO_REQUIRE_SLSA = `package dual_lane.require_slsa

deny[msg] {
  not input.provenance
  msg := "provenance required"
}
`;

/** A `policies.tar.gz` with two Kyverno policies, one Rego module and an OPA manifest. */
export async function createPolicyBundle(
  options: { revision?: string; extraEntries?: RawTarEntry[] } = {},
) {
  return createTarGz([
    { name: 'kyverno/require-signed.yaml', content: KYVERNO_REQUIRE_SIGNED },
    { name: 'opa/require_slsa.rego', content: REGO_REQUIRE_SLSA },
    {
      name: '.manifest',
      content: JSON.stringify({
        revision: options.revision ?? 'v1.2.0',
        roots: ['dual_lane'],
      }),
    },
    { name: 'README.txt', content: 'policies for dual-lane' },
    ...(options.extraEntries ?? []),
  ]);
}

/**
 * A YAML "billion laughs": nine levels of aliases to nine-element lists,
 * 9^9 nodes once expanded, in a few hundred bytes.
 */
export const YAML_ALIAS_BOMB = [
  'apiVersion: kyverno.io/v1',
  'kind: ClusterPolicy',
  'metadata: { name: laughs }',
  'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from({ length: 8 }, (_, i) => {
    const prev = `*l${i}`;
    return `l${i + 1}: &l${i + 1} [${Array(9).fill(prev).join(', ')}]`;
  }),
  '',
].join('\n');
