import { InputError } from '@backstage/errors';

/** Position after the last row of a page, for keyset pagination. */
export interface PageCursor {
  /** The sort value of the last row (ISO timestamp or string). */
  value: string;
  id: number;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString(
    'base64url',
  );
}

export function decodeCursor(text: string): PageCursor {
  try {
    const [value, id] = JSON.parse(Buffer.from(text, 'base64url').toString());
    if (typeof value !== 'string' || !Number.isInteger(id)) {
      throw new Error('bad shape');
    }
    return { value, id };
  } catch {
    throw new InputError(`Invalid page cursor '${text}'`);
  }
}
