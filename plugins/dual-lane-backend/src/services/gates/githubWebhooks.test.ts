import { createHmac } from 'node:crypto';
import path from 'node:path';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import { dualLanePlugin } from '../../plugin';
import { FakeGithub, resetIds } from './__testUtils__/fakeGithub';
import { mswHandlers } from './__testUtils__/mswGithub';
import { addLanePull, commit } from './__testUtils__/scenario';
import { pullRequestEvent } from './__testUtils__/webhookEvents';

/*
 * The GitHub events module's entry point loads its two modules (signature
 * check, and the router from topic `github` to `github.<event>`) with a
 * dynamic import(), which jest cannot run; they are loaded from their files.
 */
const githubModule = (file: string) =>
  require(
    path.join(
      path.dirname(require.resolve('@backstage/plugin-events-backend-module-github/package.json')),
      'dist/service',
      file,
    ),
  ).default;
const githubWebhookModules = [
  githubModule('eventsModuleGithubWebhook.cjs.js'),
  githubModule('eventsModuleGithubEventRouter.cjs.js'),
];

const databases = createTestDatabases();
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SECRET = "It's a Secret to Everybody";
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'widget', namespace: 'default', annotations: { 'github.com/project-slug': 'acme/widget' } },
  spec: {},
};
const gatesUrl = '/api/dual-lane/entities/component/default/widget/gates';

async function start(id: Parameters<typeof databases.init>[0], config: JsonObject) {
  resetIds();
  const fake = new FakeGithub();
  server.use(...mswHandlers(fake));
  const gh = fake.addRepo('acme', 'widget');
  gh.branches.set('main', [commit('Initial commit', -600)]);
  const pr = addLanePull(gh, { number: 2, slug: 'bridge', labels: ['plan-review'] });
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  const { server: app } = await startTestBackend({
    features: [
      dualLanePlugin,
      eventsPlugin,
      ...githubWebhookModules,
      // One event bus for all plugins (the test default is one per plugin).
      eventsServiceFactory,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          integrations: { github: [{ host: 'github.com', token: 'ghs_test' }] },
          events: { http: { topics: ['github'] }, useEventBus: 'never' },
          dualLane: { sync: { github: { enabled: false } } },
          ...config,
        },
      }),
    ],
  });
  const gates = async () =>
    (await request(app).get(gatesUrl).set('Authorization', mockCredentials.user.header())).body;
  // The first read mirrors the entity and its repository.
  expect((await gates()).totalCount).toBe(0);
  const body = JSON.stringify(pullRequestEvent('opened', gh, pr));
  const post = (signature?: string) => {
    const req = request(app)
      .post('/api/events/http/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'pull_request')
      .set('x-github-delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958');
    if (signature) req.set('x-hub-signature-256', signature);
    return req.send(body);
  };
  const sign = (secret: string) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { fake, gates, post, sign };
}

async function eventually<T>(read: () => Promise<T>, ok: (t: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise(r => setTimeout(r, 50));
  }
}

const settle = () => new Promise(r => setTimeout(r, 300));

describe.each(databases.eachSupportedId())('GitHub webhooks through the events backend on %p', id => {
  it('rejects a bad or missing signature without writing, and applies a signed event', async () => {
    const env = await start(id, {
      events: { http: { topics: ['github'] }, useEventBus: 'never', modules: { github: { webhookSecret: SECRET } } },
    });

    const forged = await env.post(env.sign('not the secret'));
    expect(forged.status).toBe(403);
    expect(forged.body).toEqual({ message: 'invalid signature' });
    expect((await env.post()).status).toBe(403);
    await settle();
    expect((await env.gates()).totalCount).toBe(0);
    expect(env.fake.log).toEqual([]);

    const signed = await env.post(env.sign(SECRET));
    expect(signed.status).toBe(202);
    // The pull request lands before its check runs and labels: wait for
    // the whole state (or time out and show the difference below).
    const after = await eventually(
      env.gates,
      b => b.totalCount === 1 && b.items[0].labels.accurate,
    );
    expect(after.items[0]).toMatchObject({
      pullRequest: { number: 2, laneSlug: 'bridge' },
      gateStatus: { summary: '4/4' },
      labels: { expected: 'plan-review', accurate: true },
    });
  });

  it('does not subscribe when the events are not signed', async () => {
    const env = await start(id, {});
    // The events backend publishes unsigned events, but nobody applies them.
    expect((await env.post()).status).toBe(202);
    await settle();
    expect((await env.gates()).totalCount).toBe(0);
    expect(env.fake.log).toEqual([]);
  });

  it('applies unsigned events only with the development opt-in', async () => {
    const env = await start(id, {
      dualLane: { sync: { github: { enabled: false, webhooks: { allowUnsigned: true } } } },
    });
    expect((await env.post()).status).toBe(202);
    expect((await eventually(env.gates, b => b.totalCount === 1)).totalCount).toBe(1);
  });
});
