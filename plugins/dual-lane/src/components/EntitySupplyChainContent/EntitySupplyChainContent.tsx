import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, Flex, Text } from '@backstage/ui';
import {
  dualLaneReverifyPermission,
  ReverifyResponse,
  SupplyChainResponse,
} from '@dual-lane/plugin-dual-lane-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { dualLaneApiRef } from '../../api';
import {
  EmptyPanel,
  formatRatio,
  Mono,
  Section,
  shortDigest,
  Stat,
  useDualLaneEntity,
} from '../shared';
import { ArtifactCard } from './ArtifactCard';
import { PolicySection } from './PolicySection';
import { ReverifyResult } from './ReverifyResult';

/** Artifacts shown at first and added per "show more". */
export const ARTIFACTS_PAGE_SIZE = 10;

function Totals(props: { data: SupplyChainResponse }) {
  const { totals } = props.data;
  return (
    <Flex gap="6" style={{ flexWrap: 'wrap' }}>
      <Stat label="artifacts" value={totals.artifacts} />
      <Stat label="verified" value={totals.byStatus.verified} />
      <Stat label="failed" value={totals.byStatus.failed} />
      <Stat label="unverified" value={totals.byStatus.unverified} />
      <Stat
        label="signed (Sigstore)"
        value={formatRatio(totals.signedRatio)}
        hint="go/no-go bar: 100%"
      />
      <Stat
        label="provenance verified"
        value={formatRatio(totals.provenanceVerifiedRatio)}
        hint="go/no-go bar: 100%"
      />
      <Stat
        label="policy versions"
        value={totals.policyVersions}
        hint={
          totals.tamperedPolicyVersions
            ? `${totals.tamperedPolicyVersions} tampered`
            : undefined
        }
      />
    </Flex>
  );
}

/**
 * The "Supply chain" tab of an entity: its repository's artifacts with
 * signature, provenance and SBOM outcomes and their reasons, the policy
 * versions and which one the policy gate last ran against, and re-verify.
 */
export function EntitySupplyChainContent() {
  const api = useApi(dualLaneApiRef);
  const { ref, resourceRef } = useDualLaneEntity();
  const { allowed: canReverify } = usePermission({
    permission: dualLaneReverifyPermission,
    resourceRef,
  });
  const [shown, setShown] = useState(ARTIFACTS_PAGE_SIZE);
  const {
    value: data,
    loading,
    error,
    retry,
  } = useAsyncRetry(() => api.getSupplyChain(ref), [api, ref]);
  const [reverify, runReverify] =
    useAsyncFn(async (): Promise<ReverifyResponse> => {
      const result = await api.reverify(ref);
      retry();
      return result;
    }, [api, ref, retry]);

  if (loading && !data) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!data) return null;

  const repository = `${data.repository.owner}/${data.repository.name}`;
  const artifacts = data.artifacts.slice(0, shown);

  return (
    <Flex direction="column" gap="4">
      <Section
        title="Supply chain"
        subtitle={
          <>
            Artifacts of {repository} are verified with Sigstore under the
            policy{' '}
            <Mono title={data.currentPolicyHash}>
              {shortDigest(data.currentPolicyHash)}
            </Mono>
            .
          </>
        }
        actions={
          canReverify && (
            <Button
              variant="secondary"
              onPress={() => runReverify()}
              isPending={reverify.loading}
            >
              Re-verify
            </Button>
          )
        }
      >
        <Flex direction="column" gap="3">
          <Totals data={data} />
          {reverify.loading && (
            <Text variant="body-small" color="secondary">
              Re-verifying every artifact and policy bundle…
            </Text>
          )}
          {reverify.error && <ResponseErrorPanel error={reverify.error} />}
          {reverify.value && !reverify.loading && (
            <ReverifyResult result={reverify.value} />
          )}
        </Flex>
      </Section>

      <Section
        title="Artifacts"
        subtitle={`Showing ${artifacts.length} of ${data.artifacts.length}, newest first.`}
      >
        <Flex direction="column" gap="3">
          {data.artifacts.length === 0 ? (
            <EmptyPanel title="No artifacts recorded yet">
              <Text variant="body-small">
                Publish artifact.tar.gz with its .sigstore.json bundle as a
                release asset of {repository} (the artifact sync runs every 30
                minutes by default), or have CI POST both to
                /api/dual-lane/ingest/artifacts.
              </Text>
            </EmptyPanel>
          ) : (
            artifacts.map(artifact => (
              <ArtifactCard
                key={artifact.id}
                artifact={artifact}
                repository={repository}
                host={data.repository.host}
                currentPolicyHash={data.currentPolicyHash}
              />
            ))
          )}
          {data.artifacts.length > shown && (
            <span>
              <Button
                variant="secondary"
                onPress={() => setShown(n => n + ARTIFACTS_PAGE_SIZE)}
              >
                Show more artifacts
              </Button>
            </span>
          )}
        </Flex>
      </Section>

      <PolicySection
        policyVersions={data.policyVersions}
        policyGate={data.policyGate}
      />
    </Flex>
  );
}
