import { Knex } from 'knex';

/*
 * Bound-variable limits per statement: SQLite as built into better-sqlite3
 * allows 32,766, PostgreSQL's protocol 65,535. A margin is kept for the
 * few extra variables knex adds to an upsert.
 */
const VARIABLE_BUDGET: Record<string, number> = {
  sqlite3: 32_000,
  'better-sqlite3': 32_000,
  pg: 65_000,
};

/*
 * knex writes a multi-row insert on SQLite as a compound SELECT, which
 * SQLite caps at 500 terms.
 */
const ROW_LIMIT: Record<string, number> = {
  sqlite3: 500,
  'better-sqlite3': 500,
};

function clientOf(knex: Knex): string {
  return String(knex.client.config.client ?? '');
}

export function variableBudget(knex: Knex): number {
  return VARIABLE_BUDGET[clientOf(knex)] ?? 999;
}

/** Splits rows so that no statement binds more variables than the engine allows. */
export function chunkRows<T extends object>(knex: Knex, rows: T[]): T[][] {
  if (rows.length === 0) {
    return [];
  }
  const columns = Math.max(1, Object.keys(rows[0]).length);
  const size = Math.max(
    1,
    Math.min(
      ROW_LIMIT[clientOf(knex)] ?? Infinity,
      Math.floor(variableBudget(knex) / columns),
    ),
  );
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) {
    chunks.push(rows.slice(i, i + size));
  }
  return chunks;
}

/**
 * Keeps the last row per natural key: PostgreSQL refuses an upsert that
 * touches the same row twice in one statement.
 */
export function dedupeByKey<T extends Record<string, unknown>>(
  rows: T[],
  keyColumns: readonly string[],
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    byKey.set(JSON.stringify(keyColumns.map(c => row[c] ?? null)), row);
  }
  return [...byKey.values()];
}

export interface UpsertOptions<T> {
  /** Columns of the unique index the rows conflict on. */
  conflict: readonly string[];
  /**
   * Columns to update on conflict (default: every column but the key), or
   * an object of column → expression, e.g. {@link keepStoredWhenNull}.
   */
  merge?: readonly (keyof T & string)[] | Record<string, Knex.Raw>;
  /** Columns to return for every row written (inserted or updated). */
  returning?: readonly string[];
}

/**
 * Idempotent batched upsert on a natural key: `INSERT ... ON CONFLICT (key)
 * DO UPDATE`, chunked to the engine's variable limit, deduplicated per key,
 * inside the caller's transaction if one is passed.
 */
export async function batchUpsert<T extends Record<string, unknown>>(
  db: Knex | Knex.Transaction,
  table: string,
  rows: T[],
  options: UpsertOptions<T>,
): Promise<Record<string, unknown>[]> {
  const unique = dedupeByKey(rows, options.conflict);
  if (unique.length === 0) {
    return [];
  }
  const merge =
    options.merge ??
    Object.keys(unique[0]).filter(c => !options.conflict.includes(c));
  const mergeIsEmpty = Array.isArray(merge)
    ? merge.length === 0
    : Object.keys(merge).length === 0;
  const out: Record<string, unknown>[] = [];
  for (const chunk of chunkRows(db as Knex, unique)) {
    const query = db(table)
      .insert(chunk)
      .onConflict(options.conflict as string[]);
    const upsert = mergeIsEmpty ? query.ignore() : query.merge(merge as any);
    if (options.returning) {
      out.push(...(await upsert.returning(options.returning as string[])));
    } else {
      await upsert;
    }
  }
  return out;
}

/**
 * Merge expressions that update each column from the incoming row unless
 * the incoming value is NULL, so a partial upsert keeps what is stored.
 */
export function keepStoredWhenNull(
  db: Knex | Knex.Transaction,
  table: string,
  columns: readonly string[],
): Record<string, Knex.Raw> {
  return Object.fromEntries(
    columns.map(c => [
      c,
      db.raw('coalesce(excluded.??, ??.??)', [c, table, c]),
    ]),
  );
}
