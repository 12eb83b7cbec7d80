import { Alert, Flex, Text } from '@backstage/ui';
import { ReverifyResponse } from '@dual-lane/plugin-dual-lane-common';
import { plural, shortDigest, verificationLook } from '../shared';

/** What a re-verification changed, or that it changed nothing. */
export function ReverifyResult(props: { result: ReverifyResponse }) {
  const { result } = props;
  const title = `Re-verified ${plural(
    result.reverified,
    'subject',
  )} under policy ${shortDigest(result.currentPolicyHash)}`;
  if (result.changes.length === 0) {
    return (
      <Alert status="success" title={title} description="No outcome changed." />
    );
  }
  const worse = result.changes.some(c => c.after !== 'verified');
  return (
    <Alert
      status={worse ? 'warning' : 'success'}
      title={`${title}: ${plural(result.changes.length, 'outcome')} changed`}
      description={
        <Flex direction="column" gap="1">
          {result.changes.map(change => (
            <Text
              key={`${change.subject}-${change.id}-${change.check}`}
              variant="body-small"
            >
              {change.name} ({change.check}):{' '}
              {change.before ? verificationLook(change.before).label : 'none'} →{' '}
              <strong>{verificationLook(change.after).label}</strong>
              {change.reason ? ` — ${change.reason}` : ''}
            </Text>
          ))}
        </Flex>
      }
    />
  );
}
