import { VerificationOutcome } from '@dual-lane/plugin-dual-lane-common';
import { BuildTypeEntry, BuilderEntry, DEFAULT_BUILD_TYPES } from './config';
import { bindBuilder } from './builderBinding';
import { CertificateFacts } from './certificateFacts';
import { InTotoStatement, subjectDigests } from './inToto';

export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

export interface ProvenanceFacts {
  predicateType?: string;
  builderId?: string;
  buildType?: string;
  sourceRepository?: string;
  sourceCommit?: string;
  sourceRef?: string;
  /** Where the statement came from: the signed bundle or the archive's attestation.intoto. */
  statementSource?: string;
  expectedCommits?: string[];
  /** Whether the signing certificate confirms the builder (keyless signatures). */
  builderBinding?:
    | { confirmed: true; by: string }
    | { confirmed: false; note: string };
}

export interface ProvenanceResult {
  outcome: VerificationOutcome;
  reason?: string;
  slsaLevel?: number;
  facts: ProvenanceFacts;
}

export interface ProvenanceInput {
  statement?: InTotoStatement;
  statementSource: 'signed-bundle' | 'attestation.intoto';
  /** Digests of which at least one must be a subject (`sha256:<hex>`). */
  subjectDigests: string[];
  repository: { host: string; owner: string; name: string };
  /** merge-base.sha and/or the pull request's commit. */
  expectedCommits: string[];
  builders: BuilderEntry[];
  /** v1 build types whose external parameters are known; any other fails. */
  buildTypes: BuildTypeEntry[];
  /** The signature's outcome: provenance is only as good as its signature. */
  signature: {
    outcome: VerificationOutcome;
    reason?: string;
    keyBased?: boolean;
  };
  certificate?: CertificateFacts;
}

export const GITHUB_ACTIONS_ISSUER =
  'https://token.actions.githubusercontent.com';

/**
 * The source repository and commit a certificate names: Fulcio's
 * OIDs .12/.13, else the legacy GitHub ones (.5 `owner/name`, .3 sha) that
 * older certificates carry.
 */
function certificateSource(cert: CertificateFacts): {
  repository?: string;
  commit?: string;
} {
  return {
    repository:
      cert.sourceRepositoryUri ??
      (cert.githubWorkflowRepository
        ? `https://github.com/${cert.githubWorkflowRepository}`
        : undefined),
    commit: cert.sourceRepositoryDigest ?? cert.githubWorkflowSha,
  };
}

/** `git+https://github.com/acme/widget@refs/heads/main` → `https://github.com/acme/widget` */
export function normalizeRepositoryUri(uri: string): string {
  const withoutScheme = uri.replace(/^git\+/, '');
  const m = withoutScheme.match(
    /^([a-z]+:\/\/[^/]+\/[^@]*?)(?:\.git)?\/*(?:@.*)?$/i,
  );
  return (m ? m[1] : withoutScheme).toLowerCase();
}

function refOf(uri: string | undefined): string | undefined {
  const m = uri?.match(/^(?:git\+)?[a-z]+:\/\/[^/]+\/[^@]*@(.+)$/i);
  return m?.[1];
}

function commitOf(
  digest: Record<string, unknown> | undefined,
): string | undefined {
  const value = digest?.gitCommit ?? digest?.sha1;
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

/** Reads builder, build type, source repository and commit of a v0.2 or v1 predicate. */
export function readProvenance(
  statement: InTotoStatement,
  buildTypes: BuildTypeEntry[] = DEFAULT_BUILD_TYPES,
): ProvenanceFacts & {
  /** v1 only: the build type is not one whose external parameters are known. */
  unknownBuildType?: boolean;
  unknownParameters?: string[];
} {
  const p = statement.predicate ?? {};
  if (statement.predicateType === SLSA_PROVENANCE_V02) {
    const source = p.invocation?.configSource ?? {};
    const material = Array.isArray(p.materials) ? p.materials[0] : undefined;
    const uri: string | undefined = source.uri ?? material?.uri;
    return {
      predicateType: statement.predicateType,
      builderId: p.builder?.id,
      buildType: p.buildType,
      sourceRepository: uri ? normalizeRepositoryUri(uri) : undefined,
      sourceCommit: commitOf(source.digest) ?? commitOf(material?.digest),
      sourceRef: refOf(uri),
    };
  }
  const definition = p.buildDefinition ?? {};
  const external = definition.externalParameters ?? {};
  const dependency = Array.isArray(definition.resolvedDependencies)
    ? definition.resolvedDependencies[0]
    : undefined;
  const workflow = external.workflow ?? {};
  const uri: string | undefined = workflow.repository ?? dependency?.uri;
  const known = buildTypes.find(
    t => t.buildType === definition.buildType,
  )?.externalParameters;
  return {
    predicateType: statement.predicateType,
    builderId: p.runDetails?.builder?.id,
    buildType: definition.buildType,
    sourceRepository: uri ? normalizeRepositoryUri(uri) : undefined,
    sourceCommit: commitOf(dependency?.digest),
    sourceRef: workflow.ref ?? refOf(dependency?.uri),
    unknownBuildType: !known,
    unknownParameters: known
      ? Object.keys(external).filter(k => !known.includes(k))
      : undefined,
  };
}

/**
 * Checks SLSA provenance the way slsa-verifier does: the artifact is a
 * subject, the builder is allowed, the source repository is the entity's
 * and the source commit is the one expected (so a valid provenance of
 * another repository or commit — a replay — fails). The certificate's
 * Fulcio extensions are checked too: unlike the predicate, the workflow
 * cannot forge them.
 */
export function checkProvenance(input: ProvenanceInput): ProvenanceResult {
  const expectedRepo =
    `https://${input.repository.host}/${input.repository.owner}/${input.repository.name}`.toLowerCase();
  const expectedCommits = [
    ...new Set(input.expectedCommits.map(c => c.toLowerCase())),
  ];
  const base: ProvenanceFacts = {
    statementSource: input.statementSource,
    expectedCommits,
  };
  const fail = (
    reason: string,
    facts: ProvenanceFacts = base,
  ): ProvenanceResult => ({
    outcome: 'failed',
    reason,
    slsaLevel: 0,
    facts,
  });

  if (input.signature.outcome === 'unverified') {
    return {
      outcome: 'unverified',
      reason: `provenance not checked: the signature is unverified (${
        input.signature.reason ?? 'no reason'
      })`,
      facts: base,
    };
  }
  if (input.signature.outcome === 'failed') {
    return fail(
      `provenance is not trusted: its signature failed (${
        input.signature.reason ?? 'no reason'
      })`,
    );
  }
  const statement = input.statement;
  if (!statement) {
    return fail(
      'no SLSA provenance: neither the signed bundle nor attestation.intoto holds an in-toto statement',
    );
  }
  if (
    statement.predicateType !== SLSA_PROVENANCE_V02 &&
    statement.predicateType !== SLSA_PROVENANCE_V1
  ) {
    return fail(
      `predicate type '${statement.predicateType}' is not SLSA provenance v0.2 or v1`,
    );
  }
  const read = readProvenance(statement, input.buildTypes);
  const { unknownParameters, unknownBuildType, ...provenance } = read;
  const facts: ProvenanceFacts = { ...base, ...provenance };

  const subjects = subjectDigests(statement);
  if (!input.subjectDigests.some(d => subjects.includes(d))) {
    return fail(
      `the provenance does not name the artifact (${input.subjectDigests.join(
        ', ',
      )}) as a subject (subjects: ${
        subjects.join(', ') || 'none with sha256'
      })`,
      facts,
    );
  }
  if (!provenance.builderId) {
    return fail('the provenance names no builder id', facts);
  }
  const builder = input.builders.find(b =>
    b.matcher.test(provenance.builderId!),
  );
  if (!builder) {
    return fail(
      `unknown builder: '${provenance.builderId}' is not on the builder allow-list`,
      facts,
    );
  }
  const keyless = !input.signature.keyBased && input.certificate !== undefined;
  if (keyless) {
    const binding = bindBuilder(provenance.builderId, input.certificate!);
    if ('contradicted' in binding) {
      return fail(binding.contradicted, facts);
    }
    facts.builderBinding = binding;
  }
  if (unknownBuildType) {
    return fail(
      `unknown build type '${
        provenance.buildType
      }': its external parameters cannot be checked (known: ${input.buildTypes
        .map(t => t.buildType)
        .join(', ')}; add others to dualLane.verification.buildTypes)`,
      facts,
    );
  }
  if (unknownParameters && unknownParameters.length > 0) {
    return fail(
      `unknown external parameters for build type ${
        provenance.buildType
      }: ${unknownParameters.join(', ')}`,
      facts,
    );
  }
  if (!provenance.sourceRepository) {
    return fail('the provenance names no source repository', facts);
  }
  if (provenance.sourceRepository !== expectedRepo) {
    return fail(
      `provenance is for repository ${provenance.sourceRepository}, not the entity's repository ${expectedRepo}`,
      facts,
    );
  }
  const cert = input.certificate;
  const source = cert ? certificateSource(cert) : {};
  const requireSource =
    !input.signature.keyBased && cert?.issuer === GITHUB_ACTIONS_ISSUER;
  if (requireSource && !source.repository) {
    return fail(
      'the GitHub Actions signing certificate names no source repository (OID 1.3.6.1.4.1.57264.1.12, or the legacy 1.3.6.1.4.1.57264.1.5): the predicate alone is not trusted for it',
      facts,
    );
  }
  if (
    source.repository &&
    normalizeRepositoryUri(source.repository) !== expectedRepo
  ) {
    return fail(
      `signing certificate's source repository ${source.repository} is not the entity's repository ${expectedRepo}`,
      facts,
    );
  }
  if (!provenance.sourceCommit) {
    return fail('the provenance names no source commit', facts);
  }
  if (requireSource && !source.commit) {
    return fail(
      'the GitHub Actions signing certificate names no source commit (OID 1.3.6.1.4.1.57264.1.13, or the legacy 1.3.6.1.4.1.57264.1.3): the predicate alone is not trusted for it',
      facts,
    );
  }
  if (
    source.commit &&
    source.commit.toLowerCase() !== provenance.sourceCommit
  ) {
    return fail(
      `provenance source commit ${provenance.sourceCommit} differs from the signing certificate's commit ${source.commit}`,
      facts,
    );
  }
  if (expectedCommits.length === 0) {
    return {
      outcome: 'unverified',
      reason:
        'no merge-base.sha or pull request commit to compare the provenance source commit with (replay check not possible)',
      facts,
    };
  }
  if (!expectedCommits.includes(provenance.sourceCommit)) {
    return fail(
      `replayed provenance: source commit ${
        provenance.sourceCommit
      } is not the expected commit (${expectedCommits.join(' or ')})`,
      facts,
    );
  }
  // A key-based signature is the key holder's word for the builder: it says
  // nothing about the build platform's isolation, so it is capped at L2. A
  // keyless one counts only when the certificate confirms the builder.
  let slsaLevel = builder.slsaLevel;
  if (input.signature.keyBased) {
    slsaLevel = Math.min(builder.slsaLevel, 2);
  } else if (!facts.builderBinding?.confirmed) {
    slsaLevel = 0;
  }
  return { outcome: 'verified', slsaLevel, facts };
}
