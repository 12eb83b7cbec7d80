/*
 * The two engines read the same columns back differently: pg returns
 * bigint/COUNT as strings and timestamptz as Date; better-sqlite3 returns
 * booleans as 0/1 and timestamps as whatever was written. Every read goes
 * through these so callers see one shape.
 */

/** A timestamp for writing: always an ISO-8601 string in UTC. */
export function toDbTime(value: string | Date | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`Invalid timestamp '${String(value)}'`);
  }
  return date.toISOString();
}

export function toOptionalDbTime(
  value: string | Date | number | undefined | null,
): string | null {
  return value === undefined || value === null ? null : toDbTime(value);
}

/** A timestamp as read: ISO-8601 string in UTC, or undefined. */
export function fromDbTime(value: unknown): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const text = String(value);
  // SQLite CURRENT_TIMESTAMP style 'YYYY-MM-DD HH:MM:SS' is UTC without a zone.
  const normalized = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? `${text.replace(' ', 'T')}Z`
    : text;
  return new Date(normalized).toISOString();
}

export function fromDbTimeRequired(value: unknown): string {
  const time = fromDbTime(value);
  if (time === undefined) {
    throw new TypeError('Expected a timestamp, got nothing');
  }
  return time;
}

export function fromDbBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** bigint / COUNT columns: a number, or undefined for NULL. */
export function fromDbNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) {
    throw new TypeError(`Expected a number, got '${String(value)}'`);
  }
  return n;
}

export function fromDbCount(value: unknown): number {
  return fromDbNumber(value) ?? 0;
}

export function toDbJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromDbJson<T = unknown>(value: unknown): T | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (typeof value === 'string') {
    return JSON.parse(value) as T;
  }
  return value as T;
}

/** `undefined` for NULL, so optional fields stay absent in API responses. */
export function fromDbString<T extends string = string>(
  value: unknown,
): T | undefined {
  return value === null || value === undefined ? undefined : (String(value) as T);
}
