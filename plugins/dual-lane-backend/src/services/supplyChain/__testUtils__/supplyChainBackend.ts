import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { applyDatabaseMigrations } from '../../../database/migrations';
import { dualLanePlugin } from '../../../plugin';
import { ISSUER, SupplyChainTestKit, WORKFLOW } from './supplyChainTestKit';

export const WIDGET_ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'widget',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/widget' },
  },
  spec: {},
};

export const SUPPLY_CHAIN_BASE =
  '/api/dual-lane/entities/component/default/widget/supply-chain';

/**
 * The whole plugin on a test backend, verifying against the kit's
 * Sigstore (its trusted root written to a file), with the GitHub sync off.
 */
export async function startSupplyChainBackend(options: {
  databases: TestDatabases;
  id: TestDatabaseId;
  kit: SupplyChainTestKit;
  /** Merged over `dualLane.verification`. */
  verification?: JsonObject;
  extraFeatures?: ServiceFactory[];
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-sc-'));
  const rootPath = path.join(dir, 'trusted_root.json');
  fs.writeFileSync(
    rootPath,
    JSON.stringify(options.kit.sigstore.trustedRootJSON),
  );
  const knex = await options.databases.init(options.id);
  await applyDatabaseMigrations(knex);
  const { server } = await startTestBackend({
    features: [
      dualLanePlugin,
      catalogServiceMock.factory({ entities: [WIDGET_ENTITY] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          dualLane: {
            sync: { artifacts: { enabled: false } },
            verification: {
              trustedRootPath: rootPath,
              identities: [
                { name: 'widget-release', issuer: ISSUER, subject: WORKFLOW },
              ],
              ...options.verification,
            },
          },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return { server, knex };
}
