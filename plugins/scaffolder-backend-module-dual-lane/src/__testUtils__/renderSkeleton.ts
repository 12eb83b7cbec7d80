import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTemplateRenderer } from 'nunjitsu';
import { parse } from 'yaml';
import { createDualLaneConfigReadAction } from '../actions/createDualLaneConfigReadAction';

export const TEMPLATE = path.resolve(
  __dirname,
  '../../templates/dual-lane-repository/template.yaml',
);

export const PARAMETERS = {
  name: 'payments',
  description: 'Payments: "quoted" & #1',
  owner: 'group:default/payments-team',
  repoUrl: 'github.com?owner=acme&repo=payments',
  visibility: 'private',
  defaultBranch: 'main',
  stagingSlug: 'getting-started',
};

export const template = parse(fs.readFileSync(TEMPLATE, 'utf8'));

export const step = (id: string) =>
  template.spec.steps.find((s: any) => s.id === id);

const tmpDirs: string[] = [];

/** A temporary directory, removed after the test file (see `cleanUpTemp`). */
export function tmp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-template-'));
  tmpDirs.push(dir);
  return dir;
}

export function cleanUpTemp() {
  for (const dir of tmpDirs.splice(0))
    fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Renders a step's input the way the scaffolder's workflow runner does:
 * every string goes through nunjitsu's renderValue, so a sole `${{ x }}`
 * keeps its type (arrays, objects).
 */
export function renderInput(
  input: unknown,
  context: Record<string, any>,
  integrations: ScmIntegrations,
) {
  const renderer = createTemplateRenderer({
    filters: {
      parseRepoUrl: url => parseRepoUrl(String(url), integrations) as any,
    },
  });
  const prepared = renderer.prepareContext(context);
  return JSON.parse(JSON.stringify(input), (_key, value) =>
    typeof value === 'string' ? renderer.renderValue(value, prepared) : value,
  );
}

/**
 * Runs the template's config:read and fetch:template steps with the real
 * actions; returns the rendered workspace.
 */
export async function renderSkeleton(
  appConfig: object = {},
  parameters: object = {},
) {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 't' }] },
    ...appConfig,
  });
  const integrations = ScmIntegrations.fromConfig(config);

  const configCtx = createMockActionContext();
  await createDualLaneConfigReadAction({ config }).handler(configCtx);
  const configOutput = Object.fromEntries(
    (configCtx.output as jest.Mock).mock.calls,
  );
  const context = {
    parameters: { ...PARAMETERS, ...parameters },
    steps: { config: { output: configOutput } },
    secrets: {},
  };

  const workspacePath = tmp();
  const scratch = tmp();
  const fetchCtx = {
    ...createMockActionContext({
      input: renderInput(step('fetch').input, context, integrations),
      workspacePath,
      templateInfo: {
        baseUrl: `file://${TEMPLATE}`,
        entityRef: 'template:default/dual-lane-repository',
      },
    }),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(scratch, 'fetch-')),
  };
  await createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations,
  }).handler(fetchCtx as any);
  return { workspacePath, config, integrations, context };
}
