import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { generateDemo, writeDemo } from '../generate/generateDemo';
import { DemoGithubApi } from '../github/DemoGithubApi';
import { loadDemoData } from '../github/loadDemoData';
import { createDemoGithubRouter } from '../github/router';
import { DEMO_HOST } from '../generate/story';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * Generates the demo for a seed into a new temporary `examples` directory.
 * It starts as a copy of the repository's `examples/`, so that when the
 * committed demo is what the generator makes, its committed signatures are
 * kept and the tests verify those (what `yarn start` serves).
 */
export async function generateIntoTemp(seed?: string) {
  const examplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-demo-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), examplesDir, { recursive: true });
  const demo = await generateDemo(seed);
  const { signatures } = writeDemo(demo, examplesDir);
  return {
    demo,
    examplesDir,
    dataDir: path.join(examplesDir, 'demo'),
    /** Whether the committed signature material is the one under test. */
    signatures,
    remove: () => fs.rmSync(examplesDir, { recursive: true, force: true }),
  };
}

/** The demo GitHub on its own loopback server, mounted where the backend mounts it. */
export async function startDemoGithub(dataDir: string, token: string) {
  const api = new DemoGithubApi(loadDemoData(dataDir), {
    token,
    host: DEMO_HOST,
  });
  const app = express();
  app.use('/api/demo-github', createDemoGithubRouter(api));
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api,
    apiBaseUrl: `http://127.0.0.1:${port}/api/demo-github`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readEntities(file: string): Entity[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJSON())
    .filter(Boolean);
}

const ref = (kind: string, name: string) =>
  `${kind.toLowerCase()}:default/${
    name.includes(':') ? name.split(':')[1] : name
  }`;

/**
 * The generated catalog as the catalog serves it: each entity with the
 * relations the catalog's processors derive from `spec.owner`,
 * `spec.system` and `spec.parent` (what the dual-lane mirror reads).
 */
export function catalogEntities(examplesDir: string): Entity[] {
  const entities = [
    ...readEntities(path.join(examplesDir, 'org.yaml')),
    ...readEntities(path.join(examplesDir, 'entities.yaml')),
  ];
  return entities.map(e => {
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    const relations: NonNullable<Entity['relations']> = [];
    if (typeof spec.owner === 'string') {
      relations.push({ type: 'ownedBy', targetRef: ref('group', spec.owner) });
    }
    if (typeof spec.system === 'string') {
      relations.push({ type: 'partOf', targetRef: ref('system', spec.system) });
    }
    if (e.kind === 'Group' && typeof spec.parent === 'string') {
      relations.push({ type: 'childOf', targetRef: ref('group', spec.parent) });
    }
    return {
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
      relations,
    };
  });
}

/**
 * The backend config of the demo as app-config.yaml has it (integration,
 * demo token, dual-lane settings), pointed at a demo GitHub and a data
 * directory elsewhere.
 */
export function demoAppConfig(options: {
  apiBaseUrl: string;
  dataDir: string;
}): JsonObject {
  const appConfig = YAML.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
  const integration = appConfig.integrations.github.find(
    (g: { host: string }) => g.host === DEMO_HOST,
  );
  if (!integration) {
    throw new Error(
      `app-config.yaml has no integrations.github entry for ${DEMO_HOST}`,
    );
  }
  const dualLane = structuredClone(appConfig.dualLane);
  dualLane.verification.trustedRootPath = path.join(
    options.dataDir,
    'sigstore',
    'trusted_root.json',
  );
  return {
    integrations: {
      github: [{ ...integration, apiBaseUrl: options.apiBaseUrl }],
    },
    demoGithub: appConfig.demoGithub,
    dualLane,
  };
}
