import {
  Alert,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
} from '@backstage/ui';
import {
  PolicyGateUsage,
  PolicyVersionWithVerification,
} from '@dual-lane/plugin-dual-lane-common';
import {
  EmptyPanel,
  formatTime,
  Section,
  shortDigest,
  shortSha,
  StatusChip,
  verificationLook,
} from '../shared';

const columns: ColumnConfig<PolicyVersionWithVerification>[] = [
  {
    id: 'name',
    label: 'Policy bundle',
    isRowHeader: true,
    cell: p => (
      <CellText
        title={`${p.name} ${p.version}`}
        description={shortDigest(p.digest)}
        href={p.sourceUrl}
      />
    ),
  },
  {
    id: 'status',
    label: 'Signature',
    defaultWidth: '2fr',
    cell: p => {
      const look = verificationLook(p.status);
      return (
        <Cell>
          <Flex direction="column" gap="1" style={{ overflowWrap: 'anywhere' }}>
            <span>
              <StatusChip tone={look.tone} label={look.label} />
            </span>
            {p.verification?.reason && (
              <Text
                variant="body-x-small"
                color={p.status === 'verified' ? 'secondary' : 'danger'}
              >
                {p.verification.reason}
              </Text>
            )}
          </Flex>
        </Cell>
      );
    },
  },
  {
    id: 'signer',
    label: 'Signer',
    defaultWidth: '2fr',
    cell: p => (
      <Cell>
        <Flex direction="column" gap="1" style={{ overflowWrap: 'anywhere' }}>
          <Text variant="body-small">
            {p.signerIdentity ?? p.verification?.signerIdentity ?? '—'}
          </Text>
          {p.verification?.tlogIndex !== undefined && (
            <Text variant="body-x-small" color="secondary">
              Rekor log index {p.verification.tlogIndex}
            </Text>
          )}
        </Flex>
      </Cell>
    ),
  },
  {
    id: 'policies',
    label: 'Policies',
    cell: p => (
      <CellText
        title={String(p.policies.length)}
        description={p.policies
          .slice(0, 3)
          .map(x => x.name)
          .join(', ')}
      />
    ),
  },
  {
    id: 'gate',
    label: 'Policy gate',
    cell: p => (
      <Cell>
        {p.lastUsedByPolicyGate ? (
          <StatusChip tone="info" label="last used by the gate" />
        ) : (
          <Text variant="body-x-small" color="secondary">
            —
          </Text>
        )}
      </Cell>
    ),
  },
  {
    id: 'published',
    label: 'Published',
    cell: p => <CellText title={formatTime(p.publishedAt ?? p.createdAt)} />,
  },
];

function PolicyGateLine(props: { usage?: PolicyGateUsage }) {
  const { usage } = props;
  if (!usage) {
    return (
      <Text variant="body-small" color="secondary">
        The policy gate has not reported which policy bundle it ran against (its
        gate runs carry no policy digest yet).
      </Text>
    );
  }
  const where = `'${usage.gateName}' last ran on ${shortSha(usage.headSha)}${
    usage.conclusion ? ` (${usage.conclusion})` : ''
  }${usage.completedAt ? ` at ${formatTime(usage.completedAt)}` : ''}`;
  if (!usage.policyVersion) {
    return (
      <Alert
        status="warning"
        title={`${where} against ${shortDigest(usage.policyDigest)}`}
        description="No recorded policy version has that digest: the gate ran against a bundle dual-lane has not verified."
      />
    );
  }
  const look = verificationLook(
    usage.policyVersion.status as PolicyVersionWithVerification['status'],
  );
  return (
    <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
      <Text variant="body-small">
        {where} against <strong>{usage.policyVersion.name}</strong>{' '}
        {usage.policyVersion.version}
      </Text>
      <StatusChip tone={look.tone} label={look.label} />
    </Flex>
  );
}

/** Signed policy bundles and which one the policy gate last ran against. */
export function PolicySection(props: {
  policyVersions: PolicyVersionWithVerification[];
  policyGate?: PolicyGateUsage;
}) {
  const { policyVersions, policyGate } = props;
  return (
    <Section
      title="Policy versions"
      subtitle="Signed policies.tar.gz bundles (Kyverno/OPA), newest first."
    >
      <Flex direction="column" gap="3">
        <PolicyGateLine usage={policyGate} />
        {policyVersions.length === 0 ? (
          <EmptyPanel title="No policy bundles recorded">
            <Text variant="body-small">
              Publish policies.tar.gz with its .sigstore.json bundle as a
              release asset, or POST it to /api/dual-lane/ingest/artifacts with
              kind=policy-bundle.
            </Text>
          </EmptyPanel>
        ) : (
          <Table
            columnConfig={columns}
            data={policyVersions}
            pagination={{ type: 'none' }}
          />
        )}
      </Flex>
    </Section>
  );
}
