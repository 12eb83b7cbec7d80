/*
 * Loads a synthetic organisation into PostgreSQL and measures the
 * compliance engine with its real code: the evaluator (set-based fact
 * queries per batch of repositories, common rules, batched writes) and the
 * real routes over HTTP (the org-wide list, one entity, rollups), with the
 * permission decision and the catalog lookup of an entity stubbed in
 * memory. Prints `name: value unit` lines.
 *
 *   yarn workspace @dual-lane/plugin-dual-lane-backend bench:compliance
 *   DUAL_LANE_BENCH_SIZE=full yarn workspace @dual-lane/plugin-dual-lane-backend bench:compliance
 *
 * Environment: DUAL_LANE_BENCH_SIZE small (default: 1,000 entities, 100,000
 * gate runs, 20,000 artifacts) or full (10,000 entities, 1,000,000 gate
 * runs, 200,000 artifacts); DUAL_LANE_BENCH_PG, the server to create and
 * drop a database on (default postgresql://postgres@127.0.0.1:5432);
 * DUAL_LANE_BENCH_REQUESTS, requests per measured route (default 200).
 */
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { DualLaneStore } from '../src/database';
import { ComplianceListQueries } from '../src/database/ComplianceListQueries';
import { ComplianceQueries } from '../src/database/ComplianceQueries';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { dualLaneEntityRules } from '../src/permissions';
import { complianceRoutes } from '../src/routes/complianceRoutes';
import { readComplianceConfig } from '../src/services/compliance/complianceConfig';
import { ComplianceEvaluator } from '../src/services/compliance/ComplianceEvaluator';
import { ComplianceReader } from '../src/services/compliance/ComplianceReader';
import { closureOf } from '../src/services/compliance/GroupHierarchySync';
import { runIncremental } from '../src/services/compliance/scheduleCompliance';
import { WaiverService } from '../src/services/compliance/WaiverService';
import {
  GATE_RUNS_PER_PULL_REQUEST,
  groupParents,
  loadOneDay,
  loadOrganisation,
  SIZES,
} from './complianceOrg';

const SIZE_NAME = (process.env.DUAL_LANE_BENCH_SIZE ??
  'small') as keyof typeof SIZES;
const SERVER =
  process.env.DUAL_LANE_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const REQUESTS = Number(process.env.DUAL_LANE_BENCH_REQUESTS ?? 200);

function print(name: string, value: number | string, unit = '') {
  const shown = typeof value === 'number' ? Number(value.toFixed(2)) : value;
  // eslint-disable-next-line no-console
  console.log(`${name}: ${shown}${unit ? ` ${unit}` : ''}`);
}

const quietLogger: any = {
  debug() {},
  info() {},
  warn(message: string) {
    // eslint-disable-next-line no-console
    console.error(`warn: ${message}`);
  },
  error(message: string) {
    // eslint-disable-next-line no-console
    console.error(`error: ${message}`);
  },
  child() {
    return quietLogger;
  },
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

function quantile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** p50/p95 of `REQUESTS` sequential GETs, after 10 warm-up requests. */
async function measure(name: string, base: string, paths: string[]) {
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${base}${paths[i % paths.length]}`);
    if (!res.ok)
      throw new Error(
        `${paths[i % paths.length]}: ${res.status} ${await res.text()}`,
      );
    await res.arrayBuffer();
  }
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const [, ms] = await timed(async () => {
      const res = await fetch(`${base}${paths[i % paths.length]}`);
      await res.arrayBuffer();
    });
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  print(`${name}_p50`, quantile(times, 0.5), 'ms');
  print(`${name}_p95`, quantile(times, 0.95), 'ms');
}

async function main() {
  const size = SIZES[SIZE_NAME];
  if (!size)
    throw new Error(
      `DUAL_LANE_BENCH_SIZE must be small or full, got '${SIZE_NAME}'`,
    );
  const database = `dual_lane_bench_compliance_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: SERVER });
  await admin.raw(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 1, max: 10 },
  });
  let server: ReturnType<express.Application['listen']> | undefined;
  try {
    await applyDatabaseMigrations(knex);
    const store = new DualLaneStore(knex);
    const [, loadMs] = await timed(() => loadOrganisation(knex, size));
    const parents = groupParents(size);
    await store.compliance.replaceGroupHierarchy({
      groups: [...parents].map(([groupRef, parentRef]) => ({
        groupRef,
        parentRef,
      })),
      closure: closureOf(parents),
    });
    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);
    print('size', SIZE_NAME);
    print('entities', await count('entities'), 'rows');
    print('pull_requests', await count('pull_requests'), 'rows');
    print('gate_runs', await count('gate_runs'), 'rows');
    print('artifacts', await count('artifacts'), 'rows');
    print('verifications', await count('verifications'), 'rows');
    print('groups', parents.size, 'rows');
    print('load_seconds', loadMs / 1000, 's');

    const config = readComplianceConfig(new ConfigReader({}));
    const evaluator = new ComplianceEvaluator({
      store,
      queries: new ComplianceQueries(knex),
      config,
      logger: quietLogger,
    });
    const [run, fullMs] = await timed(() => evaluator.evaluateAll());
    print('full_recompute_seconds', fullMs / 1000, 's');
    print(
      'full_recompute_entities_per_second',
      run.entities / (fullMs / 1000),
      '1/s',
    );
    print('verdict_go', run.verdicts.go, 'entities');
    print('verdict_no_go', run.verdicts['no-go'], 'entities');
    print('verdict_no_data', run.verdicts['no-data'], 'entities');
    await store.repositories.setSyncState({
      key: 'compliance:evaluated-since',
      cursor: new Date().toISOString(),
    });

    // The real routes, with the caller's identity and decisions in memory.
    let decision: any = { result: AuthorizeResult.ALLOW };
    const permissionsRegistry: any = {
      getPermissionRuleset: () => dualLaneEntityRules,
    };
    const entityAccess: any = {
      async resolve(ref: { kind: string; namespace: string; name: string }) {
        const entity = await store.repositories.getEntity(
          `${ref.kind}:${ref.namespace}/${ref.name}`,
        );
        return {
          entity,
          repository: await store.repositories.getRepository(
            entity!.repositoryId!,
          ),
        };
      },
    };
    const reader = new ComplianceReader({
      store,
      listQueries: new ComplianceListQueries(knex),
      evaluator,
      config,
    });
    const app = express();
    app.use(
      complianceRoutes({
        httpAuth: {
          credentials: async () =>
            ({
              principal: { type: 'user', userEntityRef: 'user:default/bench' },
            } as any),
        } as any,
        permissions: { authorizeConditional: async () => [decision] } as any,
        permissionsRegistry,
        entityAccess,
        reader,
        evaluator,
        waivers: new WaiverService({ store, evaluator, maxDays: 90 }),
      }),
    );
    server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    await measure('org_first_page_sorted', base, [
      'compliance?limit=50&sort=verdict',
    ]);
    await measure('org_first_page_sorted_filtered', base, [
      'compliance?limit=50&sort=failingCount&verdict=no-go&owner=group:default/dept-3',
      'compliance?limit=50&sort=name&system=system:default/system-7',
      'compliance?limit=50&sort=verdict&criterion=label-accuracy&criterionStatus=fail',
    ]);
    decision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'dual-lane',
      resourceType: 'dual-lane-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'dual-lane-entity',
        params: {
          claims: [
            'group:default/team-1',
            'group:default/team-2',
            'user:default/bench',
          ],
        },
      },
    };
    await measure('org_first_page_conditional', base, [
      'compliance?limit=50&sort=verdict',
    ]);
    decision = { result: AuthorizeResult.ALLOW };
    const entityPaths = Array.from(
      { length: 50 },
      (_, i) =>
        `entities/component/default/svc-${
          1 + ((i * 7919) % size.entities)
        }/compliance`,
    );
    await measure('entity_compliance', base, entityPaths);
    await measure('rollup_by_owner', base, ['compliance/rollups?by=owner']);

    const [, dayLoadMs] = await timed(() => loadOneDay(knex, size));
    print(
      'day_new_gate_runs',
      (size.entities / 5) * GATE_RUNS_PER_PULL_REQUEST,
      'rows',
    );
    print('day_load_seconds', dayLoadMs / 1000, 's');
    const [incremental, incrementalMs] = await timed(() =>
      runIncremental({ store, evaluator, config }),
    );
    print('recompute_after_day_seconds', incrementalMs / 1000, 's');
    print('recompute_after_day_entities', incremental.entities, 'entities');
    const [, fullAgainMs] = await timed(() => evaluator.evaluateAll());
    print('full_recompute_after_day_seconds', fullAgainMs / 1000, 's');
  } finally {
    server?.close();
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  }
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
