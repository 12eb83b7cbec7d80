import { InputError } from '@backstage/errors';

/** Position after the last row of a page, for keyset pagination. */
export interface PageCursor {
  /** The sort value of the last row: an ISO-8601 timestamp. */
  value: string;
  id: number;
}

/** The largest id of an `increments()` column (PostgreSQL `integer`). */
export const MAX_ROW_ID = 2_147_483_647;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** A row id as every engine stores it: a whole number in 1..2^31-1. */
export function isRowId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_ROW_ID;
}

/** A UTC ISO-8601 timestamp as the stores write them, that parses. */
export function isIsoTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ISO_TIMESTAMP.test(value) &&
    Number.isFinite(Date.parse(value))
  );
}

/** A whole number both engines compare as an integer. */
export function isSortInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_ROW_ID;
}

/** The JSON array a base64url cursor holds, or undefined. */
export function parseCursorJson(text: string): unknown[] | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString());
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString(
    'base64url',
  );
}

/**
 * Reads a cursor of {@link encodeCursor}. A cursor is opaque but comes
 * from the client: anything but a parseable timestamp and a row id is a
 * 400, never a database error.
 */
export function decodeCursor(text: string): PageCursor {
  const parsed = parseCursorJson(text);
  if (
    !parsed ||
    parsed.length !== 2 ||
    !isIsoTimestamp(parsed[0]) ||
    !isRowId(parsed[1])
  ) {
    throw new InputError(`Invalid page cursor '${text}'`);
  }
  return { value: parsed[0], id: parsed[1] };
}
