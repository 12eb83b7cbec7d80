import { Content, Header, Page } from '@backstage/core-components';
import { CompliancePageContent } from './CompliancePageContent';

/**
 * The org-wide page with its own header, for the legacy frontend system;
 * the new frontend system's page extension adds the header itself.
 */
export function DualLanePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Dual-lane compliance"
        subtitle="Gates, supply chain and go/no-go across the organisation"
      />
      <Content noPadding>
        <CompliancePageContent />
      </Content>
    </Page>
  );
}
