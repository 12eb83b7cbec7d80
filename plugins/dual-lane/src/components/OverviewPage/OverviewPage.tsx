import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { Container, Header, Text } from '@backstage/ui';
import type { HealthResponse } from '@dual-lane/plugin-dual-lane-common';
import useAsync from 'react-use/esm/useAsync';

function useHealth() {
  const { fetch } = useApi(fetchApiRef);
  return useAsync(async (): Promise<HealthResponse> => {
    const response = await fetch('plugin://dual-lane/health');
    if (!response.ok) {
      throw new Error(
        `The dual-lane backend answered ${response.status} ${response.statusText}`,
      );
    }
    return response.json();
  }, [fetch]);
}

/** The org-wide dual-lane page. */
export const OverviewPage = () => {
  const { value, loading, error } = useHealth();
  return (
    <>
      <Header title="Dual-lane compliance" />
      <Container>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <Text>
            Dual-lane backend is up; database schema {value.schemaVersion} (
            {value.migrations} migrations).
          </Text>
        )}
      </Container>
    </>
  );
};
