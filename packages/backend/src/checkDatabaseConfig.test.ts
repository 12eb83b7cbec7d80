import { ConfigReader } from '@backstage/config';
import { checkDatabaseConfig } from './checkDatabaseConfig';

const check = (database: unknown) =>
  checkDatabaseConfig(new ConfigReader({ backend: { database } } as any));

describe('checkDatabaseConfig', () => {
  it('accepts the embedded and the PostgreSQL set-ups the app ships', () => {
    expect(check({ client: 'better-sqlite3', connection: ':memory:' })).toEqual([]);
    expect(
      check({
        client: 'pg',
        connection: { host: 'db', port: 5432, user: 'backstage', password: 'x' },
      }),
    ).toEqual([]);
    expect(check({ client: 'pg', connection: 'postgresql://u@db:5432' })).toEqual([]);
  });

  it('names the key of an unknown client', () => {
    expect(check({ client: 'mongo', connection: 'x' })).toEqual([
      "backend.database.client must be one of better-sqlite3, sqlite3, pg, embedded-postgres, got 'mongo'",
    ]);
  });

  it('names the key of a connection of the wrong shape', () => {
    expect(check({ client: 'pg', connection: 42 })).toEqual([
      'backend.database.connection has an unsupported shape (42)',
    ]);
  });

  it('names nested and per-plugin keys', () => {
    const problems = check({
      client: 'pg',
      connection: 'postgresql://db',
      plugin: { catalog: { client: 'oracle' } },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^backend\.database\.plugin\.catalog\.client must be one of .*got 'oracle'$/),
    ]);
  });

  it('reports a missing block', () => {
    expect(checkDatabaseConfig(new ConfigReader({ backend: {} }))).toEqual([
      'backend.database is missing: set client and connection',
    ]);
  });
});
