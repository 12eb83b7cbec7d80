import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ComplianceStore } from './ComplianceStore';
import { GateStore } from './GateStore';
import { applyDatabaseMigrations, readSchemaVersion } from './migrations';
import { RepositoryChanges } from './RepositoryChanges';
import { RepositoryStore } from './RepositoryStore';
import { SupplyChainStore } from './SupplyChainStore';

/**
 * The plugin's database access, one store per part of the domain over a
 * single knex client.
 */
export class DualLaneStore {
  readonly repositories: RepositoryStore;
  readonly gates: GateStore;
  readonly supplyChain: SupplyChainStore;
  readonly compliance: ComplianceStore;
  /** Every write of facts, by repository; see {@link RepositoryChanges}. */
  readonly changes = new RepositoryChanges();

  static async create(options: {
    database: DatabaseService;
    logger?: LoggerService;
  }): Promise<DualLaneStore> {
    const knex = await options.database.getClient();
    if (options.database.migrations?.skip) {
      options.logger?.info(
        'Skipping dual-lane migrations (database.migrations.skip is set)',
      );
    } else {
      await applyDatabaseMigrations(knex);
    }
    const store = new DualLaneStore(knex);
    const { version, applied } = await store.schemaVersion();
    options.logger?.info(
      `dual-lane database schema at ${version ?? 'none'} (${applied} migrations)`,
    );
    return store;
  }

  constructor(readonly knex: Knex) {
    this.repositories = new RepositoryStore(knex);
    this.gates = new GateStore(knex, this.changes);
    this.supplyChain = new SupplyChainStore(knex, this.changes);
    this.compliance = new ComplianceStore(knex);
  }

  schemaVersion() {
    return readSchemaVersion(this.knex);
  }
}
