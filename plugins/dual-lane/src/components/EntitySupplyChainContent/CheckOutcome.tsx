import { Flex, Text } from '@backstage/ui';
import {
  SbomSummary,
  VerificationCheck,
  VerificationSummary,
} from '@dual-lane/plugin-dual-lane-common';
import {
  formatTime,
  Mono,
  shortDigest,
  StatusChip,
  verificationLook,
} from '../shared';

const CHECK_TITLES: Record<VerificationCheck, string> = {
  signature: 'Signature',
  provenance: 'Provenance',
  sbom: 'SBOM',
};

function Detail(props: { label: string; children: React.ReactNode }) {
  return (
    <Text as="div" variant="body-x-small">
      <span style={{ color: 'var(--bui-fg-secondary)' }}>{props.label}: </span>
      {props.children}
    </Text>
  );
}

/** The SBOM summary the backend extracted from `sbom.cdx.json`. */
export function SbomSummaryView(props: { summary: SbomSummary }) {
  const { summary } = props;
  const licenses = [...summary.licenses]
    .sort((a, b) => b.count - a.count)
    .slice(0, 5)
    .map(l => `${l.license} (${l.count})`)
    .join(', ');
  return (
    <>
      <Detail label="CycloneDX">{summary.specVersion}</Detail>
      <Detail label="Components">
        {summary.componentCount}, {summary.directDependencies.length} direct
      </Detail>
      <Detail label="Licenses">{licenses || 'none declared'}</Detail>
      {summary.componentsWithoutLicense > 0 && (
        <Detail label="Without licence">
          {summary.componentsWithoutLicense}
        </Detail>
      )}
      <Detail label="With hashes">
        {summary.componentsWithHashes} of {summary.componentCount}
      </Detail>
    </>
  );
}

/**
 * One check of an artifact or policy bundle: its outcome, the reason, and
 * what it established (signer, transparency log entry, SLSA level).
 */
export function CheckOutcome(props: {
  check: VerificationCheck;
  verification?: VerificationSummary;
  currentPolicyHash?: string;
  sbomSummary?: SbomSummary;
}) {
  const { check, verification: v, currentPolicyHash, sbomSummary } = props;
  const look = verificationLook(v?.outcome);
  // The SBOM check records the schema it validated against, not a policy digest.
  const stalePolicy =
    check !== 'sbom' &&
    v?.policyHash?.startsWith('sha256:') &&
    currentPolicyHash &&
    v.policyHash !== currentPolicyHash;
  return (
    <Flex
      direction="column"
      gap="1"
      style={{ minWidth: 220, flex: 1, overflowWrap: 'anywhere' }}
    >
      <Flex gap="2" align="center">
        <Text variant="body-small" weight="bold">
          {CHECK_TITLES[check]}
        </Text>
        <StatusChip
          tone={look.tone}
          label={look.label}
          description={v?.reason}
        />
      </Flex>
      {!v && (
        <Text variant="body-x-small" color="secondary">
          No {CHECK_TITLES[check].toLowerCase()} verification recorded.
        </Text>
      )}
      {v?.reason && (
        <Text
          variant="body-x-small"
          color={v.outcome === 'verified' ? 'secondary' : 'danger'}
        >
          {v.reason}
        </Text>
      )}
      {v?.signerIdentity && (
        <Detail label="Signer">
          <Mono>{v.signerIdentity}</Mono>
          {v.signerIssuer && ` (issuer ${v.signerIssuer})`}
        </Detail>
      )}
      {v?.tlogIndex !== undefined && (
        <Detail label="Rekor log index">{v.tlogIndex}</Detail>
      )}
      {v?.slsaLevel !== undefined && (
        <Detail label="SLSA level">L{v.slsaLevel}</Detail>
      )}
      {check === 'sbom' && sbomSummary && (
        <SbomSummaryView summary={sbomSummary} />
      )}
      {v && (
        <Detail label="Checked">
          {formatTime(v.verifiedAt)}
          {v.trustedRoot && ` against ${v.trustedRoot}`}
        </Detail>
      )}
      {stalePolicy && (
        <Text variant="body-x-small" color="warning">
          Checked under policy {shortDigest(v?.policyHash)}, not the one in
          force ({shortDigest(currentPolicyHash)}): re-verify.
        </Text>
      )}
    </Flex>
  );
}
