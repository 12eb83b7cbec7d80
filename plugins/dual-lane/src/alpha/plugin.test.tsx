import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isDualLaneAvailable } from '../conditions';
import plugin, {
  dualLanePage,
  entityComplianceCard,
  entityGatesContent,
  entitySupplyChainContent,
} from '.';

const withSlug: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: { 'github.com/project-slug': 'acme/payments-api' },
  },
};
const withoutSlug: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'example-website',
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
};

describe('dual-lane new frontend system plugin', () => {
  it('is the dual-lane plugin with its API, page, tabs and card', () => {
    expect(plugin.id).toBe('dual-lane');
    for (const id of [
      'api:dual-lane',
      'page:dual-lane',
      'entity-content:dual-lane/gates',
      'entity-content:dual-lane/supply-chain',
      'entity-card:dual-lane/compliance',
    ]) {
      expect(plugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('mounts the page at /dual-lane with a title for the sidebar', () => {
    const tester = createExtensionTester(dualLanePage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/dual-lane');
    expect(tester.get(coreExtensionData.title)).toBe('Dual-lane');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('shows the tabs at /gates and /supply-chain only for entities with a project slug', () => {
    const testers = {
      '/gates': createExtensionTester(entityGatesContent),
      '/supply-chain': createExtensionTester(entitySupplyChainContent),
    };
    for (const [path, tester] of Object.entries(testers)) {
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      expect(filter(withSlug)).toBe(true);
      expect(filter(withoutSlug)).toBe(false);
    }
  });

  it('shows the card only for entities with a project slug', () => {
    const filter = createExtensionTester(entityComplianceCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(withSlug)).toBe(true);
    expect(filter(withoutSlug)).toBe(false);
  });
});

describe('isDualLaneAvailable', () => {
  it('follows the github.com/project-slug annotation', () => {
    expect(isDualLaneAvailable(withSlug)).toBe(true);
    expect(isDualLaneAvailable(withoutSlug)).toBe(false);
    expect(
      isDualLaneAvailable({
        ...withSlug,
        metadata: {
          name: 'x',
          annotations: { 'github.com/project-slug': ' ' },
        },
      }),
    ).toBe(false);
  });
});
