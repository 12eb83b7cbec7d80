/*
 * Syncs a simulated GitHub organisation from a fake GitHub on loopback with
 * the real sync service and store, and prints `name: value unit` lines:
 * requests per repository for a first sync and for a steady-state re-sync
 * with nothing changed (and with one changed pull request per repository),
 * rows written per second, and peak memory of the syncing process.
 *
 *   yarn workspace @dual-lane/plugin-dual-lane-backend bench:sync
 *   BENCH_REPOS=200 BENCH_PRS_PER_REPO=100 yarn workspace @dual-lane/plugin-dual-lane-backend bench:sync
 *
 * Environment: BENCH_REPOS (default 20), BENCH_PRS_PER_REPO (default 50),
 * BENCH_CONCURRENCY (repositories at a time, default 4 as in config),
 * BENCH_DATABASE=postgres to use PostgreSQL at
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (a fresh database is
 * created and dropped); SQLite in memory by default.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { DualLaneStore } from '../src/database';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { GithubClientFactory } from '../src/services/github/GithubClientFactory';
import { readGatesConfig, readGithubSyncConfig } from '../src/services/gates/gatesConfig';
import { GithubGateSync } from '../src/services/gates/GithubGateSync';
import { createGateSyncDeps } from '../src/services/gates/syncDeps';
import { repoName } from './syncOrg';

const REPOS = Number(process.env.BENCH_REPOS ?? 20);
const PRS = Number(process.env.BENCH_PRS_PER_REPO ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const DATABASE = process.env.BENCH_DATABASE ?? 'sqlite';
const NOW = Date.parse('2026-11-24T12:00:00Z');

function print(name: string, value: number | string, unit = '') {
  // eslint-disable-next-line no-console
  console.log(`${name}: ${typeof value === 'number' ? Number(value.toFixed(2)) : value}${unit ? ` ${unit}` : ''}`);
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

async function openDatabase(): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (DATABASE === 'postgres') {
    const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
    if (!url) throw new Error('BENCH_DATABASE=postgres needs BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING');
    const name = `dual_lane_bench_${process.pid}`;
    let dropped = false;
    const admin = knexFactory({ client: 'pg', connection: url });
    await admin.raw('CREATE DATABASE ??', [name]);
    process.once('exit', () => {
      // eslint-disable-next-line no-console
      if (!dropped) console.error(`database ${name} was left behind`);
    });
    const target = new URL(url);
    target.pathname = `/${name}`;
    const knex = knexFactory({ client: 'pg', connection: target.toString(), pool: { min: 0, max: 10 } });
    return {
      knex,
      close: async () => {
        await knex.destroy();
        await admin.raw('DROP DATABASE ??', [name]);
        dropped = true;
        await admin.destroy();
      },
    };
  }
  const knex = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  return { knex, close: () => knex.destroy() };
}

function startFakeGithub() {
  const child = fork(path.join(__dirname, 'fakeGithubServer.ts'), [], {
    execArgv: ['--require', require.resolve('@backstage/cli/config/nodeTransform.cjs')],
    env: { ...process.env, BENCH_REPOS: String(REPOS), BENCH_PRS_PER_REPO: String(PRS), BENCH_NOW: String(NOW) },
  });
  // The node transform talks over the same channel: only `bench` messages count.
  const next = (kind: string) =>
    new Promise<any>(resolve => {
      const listener = (m: any) => {
        if (m?.bench === kind) {
          child.off('message', listener);
          resolve(m);
        }
      };
      child.on('message', listener);
    });
  const ask = (message: { cmd: string }, reply: string) => {
    const answer = next(reply);
    child.send(message);
    return answer;
  };
  const ready = new Promise<number>((resolve, reject) => {
    next('ready').then(m => resolve(m.port));
    child.once('exit', code => reject(new Error(`fake GitHub exited with ${code}`)));
  });
  return { child, ask, ready };
}

/** Samples resident and heap memory while `fn` runs. */
async function measured<T>(fn: () => Promise<T>) {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const started = process.hrtime.bigint();
  try {
    const result = await fn();
    sample();
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const fake = startFakeGithub();
  const port = await fake.ready;
  const db = await openDatabase();
  try {
    await applyDatabaseMigrations(db.knex);
    const store = new DualLaneStore(db.knex);
    const names = Array.from({ length: REPOS }, (_, i) => repoName(i));
    const ids = await store.repositories.upsertRepositories(
      names.map(name => ({ host: 'github.com', owner: 'bench-org', name })),
    );
    await store.repositories.upsertEntities(
      names.map(name => ({
        entityRef: `component:default/${name}`,
        kind: 'Component',
        namespace: 'default',
        name,
        repositoryId: ids.get(`github.com/bench-org/${name}`),
        annotations: {},
      })),
    );
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', apiBaseUrl: `http://127.0.0.1:${port}`, token: 'bench' }] },
      dualLane: {
        verdicts: { supervisors: ['plan-bot'] },
        sync: { github: { concurrency: CONCURRENCY, closedLookback: { days: 30 } } },
      },
    });
    const deps = createGateSyncDeps({
      store,
      github: GithubClientFactory.fromConfig(config, { logger: quietLogger }),
      config: readGatesConfig(config),
      sync: readGithubSyncConfig(config),
      logger: quietLogger,
    });
    const sync = new GithubGateSync(deps);
    const requestsSoFar = async () => (await fake.ask({ cmd: 'stats' }, 'stats')).requests as number;

    print('database', DATABASE);
    print('repositories', REPOS);
    print('pull_requests', REPOS * PRS);
    print('concurrency', CONCURRENCY, 'repositories');

    const before = await requestsSoFar();
    const first = await measured(() => sync.syncAll({ now: new Date(NOW) }));
    const firstRequests = (await requestsSoFar()) - before;
    if (first.result.failed > 0) throw new Error(`first sync failed: ${JSON.stringify(first.result.errors[0])}`);
    print('first_sync_seconds', first.seconds, 's');
    print('first_sync_requests', firstRequests);
    print('first_sync_requests_per_repository', firstRequests / REPOS);
    print('first_sync_requests_per_pull_request', firstRequests / (REPOS * PRS));
    print('first_sync_rows', first.result.rows);
    print('first_sync_rows_per_second', first.result.rows / first.seconds, 'rows/s');
    print('first_sync_peak_rss', first.rss / 2 ** 20, 'MiB');
    print('first_sync_peak_heap', first.heap / 2 ** 20, 'MiB');

    const steadyBefore = await requestsSoFar();
    const steady = await measured(() => sync.syncAll({ now: new Date(NOW + 60_000) }));
    const steadyRequests = (await requestsSoFar()) - steadyBefore;
    print('steady_sync_seconds', steady.seconds, 's');
    print('steady_sync_requests_per_repository', steadyRequests / REPOS);
    print('steady_sync_not_modified', steady.result.notModified, 'responses (304)');
    print('steady_sync_rows', steady.result.rows);

    await fake.ask({ cmd: 'touch', count: 1, now: NOW + 120_000 } as { cmd: string }, 'touched');
    const changedBefore = await requestsSoFar();
    const changed = await measured(() => sync.syncAll({ now: new Date(NOW + 180_000) }));
    const changedRequests = (await requestsSoFar()) - changedBefore;
    print('one_change_per_repository_sync_seconds', changed.seconds, 's');
    print('one_change_per_repository_requests_per_repository', changedRequests / REPOS);
    print('one_change_per_repository_rows', changed.result.rows);
    print('peak_rss', Math.max(first.rss, steady.rss, changed.rss) / 2 ** 20, 'MiB');
    print('peak_heap', Math.max(first.heap, steady.heap, changed.heap) / 2 ** 20, 'MiB');
  } finally {
    await db.close();
    fake.child.send({ cmd: 'exit' });
  }
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
