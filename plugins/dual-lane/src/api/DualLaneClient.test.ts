import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DualLaneClient, entityPath, queryString } from './DualLaneClient';

const base = 'http://backstage.test/api/dual-lane';
const entity = { kind: 'Component', namespace: 'default', name: 'widget' };

describe('DualLaneClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new DualLaneClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: { fetch: (...args) => fetch(...args) },
  });

  /** Records every request the handler sees and answers with `body`. */
  function capture(
    method: 'get' | 'post' | 'delete',
    path: string,
    body: unknown,
    status = 200,
  ) {
    const seen: Request[] = [];
    server.use(
      http[method](`${base}${path}`, ({ request }) => {
        seen.push(request.clone());
        return HttpResponse.json(body as object, { status });
      }),
    );
    return seen;
  }

  it('reads gates with the entity path and the paging query', async () => {
    const seen = capture('get', '/entities/component/default/widget/gates', {
      items: [],
      totalCount: 0,
      requiredChecks: [],
      negativeTests: [],
    });
    const result = await client.getGates(entity, {
      limit: 10,
      cursor: 'abc',
      state: 'merged',
    });
    expect(result.totalCount).toBe(0);
    expect(new URL(seen[0].url).search).toBe(
      '?limit=10&cursor=abc&state=merged',
    );
  });

  it('leaves out empty query parameters', async () => {
    const seen = capture('get', '/entities/component/default/widget/gates', {
      items: [],
    });
    await client.getGates(entity);
    expect(new URL(seen[0].url).search).toBe('');
  });

  it('encodes entity names', () => {
    expect(
      entityPath({ kind: 'Component', namespace: 'team a', name: 'x/y' }),
    ).toBe('entities/component/team%20a/x%2Fy');
  });

  it('reads the supply chain and posts a re-verification', async () => {
    capture('get', '/entities/component/default/widget/supply-chain', {
      entityRef: 'component:default/widget',
    });
    const seen = capture(
      'post',
      '/entities/component/default/widget/supply-chain/reverify',
      { reverified: 2, changes: [] },
    );
    expect((await client.getSupplyChain(entity)).entityRef).toBe(
      'component:default/widget',
    );
    expect((await client.reverify(entity, { force: false })).reverified).toBe(
      2,
    );
    expect(seen[0].method).toBe('POST');
    expect(new URL(seen[0].url).search).toBe('?force=false');
  });

  it('creates a waiver with a JSON body and revokes it by id', async () => {
    const created = capture(
      'post',
      '/entities/component/default/widget/compliance/waivers',
      { id: 7, active: true },
      201,
    );
    const revoked = capture(
      'delete',
      '/entities/component/default/widget/compliance/waivers/7',
      { id: 7, active: false },
    );
    const waiver = {
      criterion: 'drift-incidents' as const,
      reason: 'AGENTS.md is being rewritten this week',
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    expect((await client.createWaiver(entity, waiver)).id).toBe(7);
    expect(created[0].headers.get('content-type')).toBe('application/json');
    expect(await created[0].json()).toEqual(waiver);
    expect((await client.revokeWaiver(entity, 7)).active).toBe(false);
    expect(revoked[0].method).toBe('DELETE');
  });

  it('evaluates an entity with POST', async () => {
    const seen = capture(
      'post',
      '/entities/component/default/widget/compliance/evaluate',
      { verdict: 'go' },
    );
    expect((await client.evaluateCompliance(entity)).verdict).toBe('go');
    expect(seen).toHaveLength(1);
  });

  it('lists compliance with filters, joining verdicts with commas', async () => {
    const seen = capture('get', '/compliance', { items: [], totalCount: 0 });
    await client.listCompliance({
      limit: 25,
      sort: 'failingCount',
      order: 'desc',
      owner: 'group:default/team-a',
      verdict: ['no-go', 'no-data'],
      criterion: 'label-accuracy',
      criterionStatus: 'fail',
      q: 'wid',
    });
    const params = new URL(seen[0].url).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      limit: '25',
      sort: 'failingCount',
      order: 'desc',
      owner: 'group:default/team-a',
      verdict: 'no-go,no-data',
      criterion: 'label-accuracy',
      criterionStatus: 'fail',
      q: 'wid',
    });
  });

  it('reads rollups and criteria', async () => {
    const seen = capture('get', '/compliance/rollups', {
      by: 'system',
      items: [],
    });
    capture('get', '/compliance/criteria', { windowDays: 30, criteria: [] });
    expect((await client.getComplianceRollups({ by: 'system' })).by).toBe(
      'system',
    );
    expect(new URL(seen[0].url).search).toBe('?by=system');
    expect((await client.getComplianceCriteria()).windowDays).toBe(30);
  });

  it('lists the organisation waivers with their query', async () => {
    const seen = capture('get', '/compliance/waivers', {
      items: [],
      totalCount: 0,
      waiverMaxDays: 30,
    });
    const result = await client.listWaivers({
      active: true,
      criterion: 'label-accuracy',
      limit: 25,
      cursor: 'c1',
    });
    expect(result.waiverMaxDays).toBe(30);
    expect(new URL(seen[0].url).search).toBe(
      '?active=true&criterion=label-accuracy&limit=25&cursor=c1',
    );
    await client.listWaivers();
    expect(new URL(seen[1].url).search).toBe('');
  });

  it('turns error responses into ResponseErrors with the backend message', async () => {
    capture(
      'get',
      '/entities/component/default/widget/compliance',
      {
        error: {
          name: 'NotFoundError',
          message:
            'Entity component:default/widget has no github.com/project-slug annotation',
        },
        response: { statusCode: 404 },
      },
      404,
    );
    const error = await client.getEntityCompliance(entity).then(
      () => undefined,
      e => e,
    );
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toContain('has no github.com/project-slug');
  });

  it('maps a permission denial to a 403 ResponseError', async () => {
    capture(
      'post',
      '/entities/component/default/widget/supply-chain/reverify',
      {
        error: { name: 'NotAllowedError', message: 'Not allowed' },
        response: { statusCode: 403 },
      },
      403,
    );
    await expect(client.reverify(entity)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});

describe('queryString', () => {
  it('skips undefined, empty strings and empty lists', () => {
    expect(queryString({ a: undefined, b: '', c: [], d: 0 })).toBe('?d=0');
    expect(queryString({})).toBe('');
  });
});
