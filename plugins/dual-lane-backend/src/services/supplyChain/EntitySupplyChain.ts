import {
  ArtifactWithVerifications,
  PolicyVersionWithVerification,
  Repository,
  SupplyChainResponse,
  Verification,
  VerificationOutcome,
  VerificationSummary,
} from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';

function summary(v: Verification): VerificationSummary {
  const { policy: _policy, ...rest } = v;
  return rest;
}

/** Builds the supply-chain view of one entity's repository. */
export async function entitySupplyChain(
  store: DualLaneStore,
  entityRef: string,
  repository: Repository,
  currentPolicyHash: string,
): Promise<SupplyChainResponse> {
  const artifacts = await store.supplyChain.listArtifacts([repository.id]);
  const policyVersions = await store.supplyChain.listPolicyVersions({
    repositoryIds: [repository.id],
  });
  const gateRun = (
    await store.supplyChain.latestPolicyGateRuns([repository.id])
  ).get(repository.id);
  // The gate may have run against a bundle published by another repository.
  const gateVersion = gateRun
    ? policyVersions.find(p => p.digest === gateRun.policyDigest) ??
      (await store.supplyChain.getPolicyVersionByDigest(gateRun.policyDigest))
    : undefined;
  if (gateVersion && !policyVersions.some(p => p.id === gateVersion.id)) {
    policyVersions.push(gateVersion);
  }
  const verifications = await store.supplyChain.listVerifications({
    artifactIds: artifacts.map(a => a.id),
    policyVersionIds: policyVersions.map(p => p.id),
    currentOnly: true,
  });

  const byArtifact = new Map<
    number,
    ArtifactWithVerifications['verifications']
  >();
  const byPolicy = new Map<number, VerificationSummary>();
  for (const v of verifications) {
    if (v.artifactId !== undefined) {
      const checks = byArtifact.get(v.artifactId) ?? {};
      checks[v.check] = summary(v);
      byArtifact.set(v.artifactId, checks);
    } else if (v.policyVersionId !== undefined && v.check === 'signature') {
      byPolicy.set(v.policyVersionId, summary(v));
    }
  }

  const byStatus: Record<VerificationOutcome, number> = {
    verified: 0,
    failed: 0,
    unverified: 0,
  };
  let signed = 0;
  let provenanceVerified = 0;
  const withVerifications = artifacts.map(a => {
    byStatus[a.status] += 1;
    const checks = byArtifact.get(a.id) ?? {};
    if (checks.signature?.outcome === 'verified') signed += 1;
    if (checks.provenance?.outcome === 'verified') provenanceVerified += 1;
    return { ...a, verifications: checks };
  });
  const ratio = (n: number) => (artifacts.length ? n / artifacts.length : null);

  const versions: PolicyVersionWithVerification[] = policyVersions.map(p => ({
    ...p,
    verification: byPolicy.get(p.id),
    lastUsedByPolicyGate: gateVersion?.id === p.id,
  }));

  return {
    entityRef,
    repository: {
      host: repository.host,
      owner: repository.owner,
      name: repository.name,
    },
    artifacts: withVerifications,
    policyVersions: versions,
    policyGate: gateRun
      ? {
          gateRunId: gateRun.id,
          gateName: gateRun.gateName,
          headSha: gateRun.headSha,
          policyDigest: gateRun.policyDigest,
          conclusion: gateRun.conclusion,
          completedAt: gateRun.completedAt,
          policyVersion: gateVersion
            ? {
                id: gateVersion.id,
                name: gateVersion.name,
                version: gateVersion.version,
                status: gateVersion.status,
              }
            : undefined,
        }
      : undefined,
    totals: {
      artifacts: artifacts.length,
      byStatus,
      signedRatio: ratio(signed),
      provenanceVerifiedRatio: ratio(provenanceVerified),
      policyVersions: versions.length,
      tamperedPolicyVersions: versions.filter(p => p.status === 'tampered')
        .length,
    },
    currentPolicyHash,
  };
}
