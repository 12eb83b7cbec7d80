import { JsonObject } from '@backstage/types';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createTestDatabases,
  createTestStore,
} from '../../__testUtils__/databases';
import { DualLaneStore } from '../../database';
import { createTestDeps, registerRepository } from './__testUtils__/scenario';
import { GateRunIngest } from './GateRunIngest';
import { IngestAuthorization } from './IngestAuthorization';
import { readIngestConfig } from './ingestConfig';

const databases = createTestDatabases();
const HEAD = 'a'.repeat(40);

function authorization(
  store: DualLaneStore,
  callers: JsonObject[] | undefined,
  options: { production?: boolean; denied?: string[] } = {},
) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: options.denied?.includes(
          (r as { resourceRef?: string }).resourceRef ?? '',
        )
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
  });
  return {
    permissions,
    authz: new IngestAuthorization({
      config: readIngestConfig(
        new ConfigReader(callers ? { dualLane: { ingest: { callers } } } : {}),
      ),
      permissions,
      store,
      defaultHost: 'github.com',
      production: options.production ?? false,
    }),
  };
}

const run = (externalId: string, conclusion: 'success' | 'failure') => ({
  repository: 'acme/widget',
  headSha: HEAD,
  gate: 'Verify SLSA Provenance',
  status: 'completed' as const,
  conclusion,
  externalId,
});

describe('readIngestConfig', () => {
  it('reads callers and refuses bad entries naming the key', () => {
    expect(
      readIngestConfig(
        new ConfigReader({
          dualLane: {
            ingest: {
              callers: [
                {
                  subject: 'external:jenkins',
                  repositories: ['acme/*', 'GHE.acme.dev/Platform/api', '*'],
                },
              ],
            },
          },
        }),
      ),
    ).toEqual({
      callers: [
        {
          subject: 'external:jenkins',
          repositories: [
            { host: undefined, owner: 'acme', name: '*' },
            { host: 'ghe.acme.dev', owner: 'platform', name: 'api' },
            { host: '*', owner: '*', name: '*' },
          ],
          negativeTestEnvironments: ['ci', 'staging'],
        },
      ],
    });
    expect(readIngestConfig(new ConfigReader({}))).toEqual({});
    const bad = (callers: JsonObject[]) => () =>
      readIngestConfig(new ConfigReader({ dualLane: { ingest: { callers } } }));
    expect(bad([{ subject: 'jenkins', repositories: ['a/b'] }])).toThrow(
      "dualLane.ingest.callers[0].subject must be a service principal's subject such as 'external:jenkins'",
    );
    expect(bad([{ subject: 'external:a', repositories: ['acme'] }])).toThrow(
      "dualLane.ingest.callers[0].repositories[0] must be 'owner/repo' or 'host/owner/repo'",
    );
    expect(bad([{ subject: 'external:a', repositories: [] }])).toThrow(
      'dualLane.ingest.callers[0].repositories must list at least one repository',
    );
    expect(
      bad([
        {
          subject: 'external:a',
          repositories: ['a/b'],
          negativeTestEnvironments: ['prod'],
        },
      ]),
    ).toThrow(
      'dualLane.ingest.callers[0].negativeTestEnvironments[0] must be one of ci, staging, production',
    );
    expect(
      bad([
        { subject: 'external:a', repositories: ['a/b'] },
        { subject: 'external:a', repositories: ['a/c'] },
      ]),
    ).toThrow(
      "dualLane.ingest.callers[1].subject 'external:a' is listed twice",
    );
  });
});

describe.each(databases.eachSupportedId())('IngestAuthorization on %p', id => {
  it('lets each caller write only its repositories, and only entities the policy allows', async () => {
    const { store } = await createTestStore(databases, id);
    const widget = await registerRepository(store, 'acme', 'widget');
    await registerRepository(store, 'acme', 'gadget');
    await registerRepository(store, 'other', 'thing');
    // A monorepo: a second entity on the widget repository.
    await store.repositories.upsertEntities([
      {
        entityRef: 'component:default/widget-docs',
        kind: 'Component',
        namespace: 'default',
        name: 'widget-docs',
        repositoryId: widget.id,
        annotations: {},
      },
    ]);
    const callers = [{ subject: 'external:jenkins', repositories: ['acme/*'] }];

    const { authz, permissions } = authorization(store, callers);
    const jenkins = authz.caller(mockCredentials.service('external:jenkins'));
    const repos = await authz.repositories(
      jenkins,
      [{ repository: 'acme/widget' }, { repository: 'github.com/ACME/gadget' }],
      'runs',
    );
    expect([...repos.keys()]).toEqual([
      'github.com/acme/widget',
      'github.com/acme/gadget',
    ]);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'dual-lane.ingest',
            resourceType: 'dual-lane-entity',
          }),
          resourceRef: 'component:default/widget',
        },
        {
          permission: expect.objectContaining({ name: 'dual-lane.ingest' }),
          resourceRef: 'component:default/widget-docs',
        },
        {
          permission: expect.objectContaining({ name: 'dual-lane.ingest' }),
          resourceRef: 'component:default/gadget',
        },
      ],
      { credentials: jenkins.credentials },
    );
    await expect(
      authz.repositories(
        jenkins,
        [{ repository: 'acme/widget' }, { repository: 'other/thing' }],
        'runs',
      ),
    ).rejects.toThrow(
      "external:jenkins may not ingest into runs[1].repository 'other/thing': not among its repositories in dualLane.ingest.callers",
    );
    expect(() =>
      authz.caller(mockCredentials.service('external:someone-else')),
    ).toThrow(
      'external:someone-else may not ingest into dual-lane: it is not listed in dualLane.ingest.callers',
    );

    // The policy denies one entity of the monorepo: the repository is refused.
    const denying = authorization(store, callers, {
      denied: ['component:default/widget-docs'],
    }).authz;
    await expect(
      denying.repositories(
        denying.caller(mockCredentials.service('external:jenkins')),
        [{ repository: 'acme/widget' }],
        'runs',
      ),
    ).rejects.toThrow(
      'Not allowed to ingest into github.com/acme/widget (dual-lane.ingest on component:default/widget-docs). Nothing was stored.',
    );
  });

  it('without callers configured: anyone outside production, but never production negative tests; no one in production', async () => {
    const { store } = await createTestStore(databases, id);
    await registerRepository(store);
    const open = authorization(store, undefined).authz;
    const caller = open.caller(mockCredentials.service('external:anyone'));
    expect(
      (
        await open.repositories(
          caller,
          [{ repository: 'acme/widget' }],
          'results',
        )
      ).size,
    ).toBe(1);
    expect(() =>
      open.environments(
        caller,
        [{ environment: 'ci' }, { environment: 'staging' }],
        'results',
      ),
    ).not.toThrow();
    expect(() =>
      open.environments(caller, [{ environment: 'production' }], 'results'),
    ).toThrow(
      "external:anyone may not report negative tests for results[0].environment 'production'",
    );
    expect(open.startupNote().level).toBe('warn');

    const closed = authorization(store, undefined, { production: true }).authz;
    expect(() =>
      closed.caller(mockCredentials.service('external:anyone')),
    ).toThrow(
      'external:anyone may not ingest into dual-lane: dualLane.ingest.callers is not configured, and in production every caller must be listed there',
    );
    const granted = authorization(
      store,
      [
        {
          subject: 'external:cluster',
          repositories: ['*'],
          negativeTestEnvironments: ['production'],
        },
      ],
      { production: true },
    ).authz;
    const cluster = granted.caller(mockCredentials.service('external:cluster'));
    expect(() =>
      granted.environments(cluster, [{ environment: 'production' }], 'results'),
    ).not.toThrow();
    expect(() =>
      granted.environments(cluster, [{ environment: 'ci' }], 'results'),
    ).toThrow('it may report for production');
  });

  it('keys ingested runs by caller: one CI system cannot overwrite another run with the same externalId', async () => {
    const { store } = await createTestStore(databases, id);
    const repo = await registerRepository(store);
    const deps = createTestDeps(store);
    const { authz } = authorization(store, [
      { subject: 'external:ci-a', repositories: ['acme/widget'] },
      { subject: 'external:ci-b', repositories: ['acme/widget'] },
    ]);
    const ingest = new GateRunIngest({
      ...deps,
      defaultHost: 'github.com',
      authorization: authz,
    });
    await ingest.ingest(
      [run('build-7', 'success')],
      authz.caller(mockCredentials.service('external:ci-a')),
    );
    await ingest.ingest(
      [run('build-7', 'failure')],
      authz.caller(mockCredentials.service('external:ci-b')),
    );
    const runs = await store.gates.listGateRuns({ repositoryId: repo.id });
    expect(
      runs.map(r => [r.source, r.externalId, r.conclusion, r.appSlug]),
    ).toEqual([
      ['ingest:external:ci-a', 'build-7', 'success', 'ingest:external:ci-a'],
      ['ingest:external:ci-b', 'build-7', 'failure', 'ingest:external:ci-b'],
    ]);
  });
});
