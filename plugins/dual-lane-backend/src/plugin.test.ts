import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { dualLanePlugin } from './plugin';

const migrationFiles = fs
  .readdirSync(path.resolve(__dirname, '../migrations'))
  .filter(f => f.endsWith('.js'))
  .sort();

describe('dualLanePlugin', () => {
  it('answers /health with the schema version, without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        dualLanePlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await request(server).get('/api/dual-lane/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      schemaVersion: migrationFiles[migrationFiles.length - 1],
      migrations: migrationFiles.length,
    });
  });
});
