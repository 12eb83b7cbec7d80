import { Box, Flex, Link, Text } from '@backstage/ui';
import {
  ARTIFACT_BUNDLE_CHECKS,
  ARTIFACT_CHECKS,
  ArtifactBundleContents,
  ArtifactWithVerifications,
  SbomSummary,
} from '@dual-lane/plugin-dual-lane-common';
import {
  commitUrl,
  formatBytes,
  formatTime,
  Mono,
  shortSha,
  StatusChip,
  verificationLook,
} from '../shared';
import { CheckOutcome } from './CheckOutcome';

const SOURCE_TITLES: Record<ArtifactWithVerifications['source'], string> = {
  'github-attestation': 'GitHub attestation',
  'release-asset': 'release asset',
  ingest: 'pushed by CI',
};

function BundleContents(props: { contents: ArtifactBundleContents }) {
  const { contents } = props;
  return (
    <Flex direction="column" gap="1">
      <Text variant="body-small" weight="bold">
        Bundle contents
      </Text>
      {contents.rejectedReason && (
        <Text variant="body-x-small" color="danger">
          Rejected: {contents.rejectedReason}
        </Text>
      )}
      <Flex gap="2" style={{ flexWrap: 'wrap' }}>
        {contents.entries.map(entry => (
          <Text key={entry.name} variant="body-x-small">
            <Mono title={entry.digest}>{entry.name}</Mono> (
            {formatBytes(entry.sizeBytes)})
          </Text>
        ))}
      </Flex>
      {contents.missingEntries.length > 0 && (
        <Text variant="body-x-small" color="danger">
          Missing: {contents.missingEntries.join(', ')}
        </Text>
      )}
      {contents.unknownEntries.length > 0 && (
        <Text variant="body-x-small" color="warning">
          Not in the bundle schema: {contents.unknownEntries.join(', ')}
        </Text>
      )}
    </Flex>
  );
}

/** One artifact with its signature, provenance and SBOM outcomes. */
export function ArtifactCard(props: {
  artifact: ArtifactWithVerifications;
  /** `owner/repo` or `host/owner/repo`, for commit links. */
  repository: string;
  host: string;
  currentPolicyHash: string;
}) {
  const { artifact, repository, host, currentPolicyHash } = props;
  const status = verificationLook(artifact.status);
  const isBundle = artifact.kind === 'artifact-bundle';
  const checks = isBundle ? ARTIFACT_BUNDLE_CHECKS : ARTIFACT_CHECKS;
  return (
    <Box
      p="4"
      role="group"
      aria-label={`Artifact ${artifact.name}`}
      style={{
        border: '1px solid var(--bui-border-1)',
        borderRadius: 'var(--bui-radius-3)',
      }}
    >
      <Flex direction="column" gap="3">
        <Flex
          justify="between"
          align="start"
          gap="2"
          style={{ flexWrap: 'wrap' }}
        >
          <Flex direction="column" gap="1">
            <Flex gap="2" align="center">
              <Text variant="body-medium" weight="bold">
                {artifact.name}
              </Text>
              <StatusChip tone={status.tone} label={status.label} />
            </Flex>
            <Text variant="body-x-small">
              <Mono>{artifact.digest}</Mono>
            </Text>
            <Text variant="body-x-small" color="secondary">
              {artifact.kind} · {formatBytes(artifact.sizeBytes)} ·{' '}
              {artifact.sourceUrl ? (
                <Link
                  href={artifact.sourceUrl}
                  target="_blank"
                  variant="body-x-small"
                >
                  {SOURCE_TITLES[artifact.source]}
                </Link>
              ) : (
                SOURCE_TITLES[artifact.source]
              )}
              {artifact.commitSha && (
                <>
                  {' · commit '}
                  <Link
                    href={commitUrl(repository, artifact.commitSha, host)}
                    target="_blank"
                    variant="body-x-small"
                  >
                    {shortSha(artifact.commitSha)}
                  </Link>
                </>
              )}
              {artifact.mergeBaseSha &&
                ` · merge base ${shortSha(artifact.mergeBaseSha)}`}
              {` · recorded ${formatTime(artifact.createdAt)}`}
            </Text>
          </Flex>
        </Flex>
        <Flex gap="4" style={{ flexWrap: 'wrap' }}>
          {checks.map(check => (
            <CheckOutcome
              key={check}
              check={check}
              verification={artifact.verifications[check]}
              currentPolicyHash={currentPolicyHash}
              sbomSummary={
                check === 'sbom'
                  ? (artifact.sbomSummary as SbomSummary | undefined)
                  : undefined
              }
            />
          ))}
        </Flex>
        {isBundle &&
          artifact.contents !== undefined &&
          artifact.contents !== null && (
            <BundleContents
              contents={artifact.contents as ArtifactBundleContents}
            />
          )}
      </Flex>
    </Box>
  );
}
