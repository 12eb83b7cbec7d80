import express from 'express';
import multer from 'multer';

/** The request type @types/multer uses (Express 5's; the object is the same). */
type UploadRequest = Parameters<multer.StorageEngine['_handleFile']>[0];

/** A file part went past its field's limit; nothing more of it was read. */
export class FieldTooLargeError extends Error {
  name = 'FieldTooLargeError';
  constructor(
    readonly field: string,
    readonly limit: number,
    readonly limitKey: string,
  ) {
    super(`${field} is over its limit of ${limit} bytes (${limitKey})`);
  }
}

export interface FieldLimit {
  maxBytes: number;
  /** The config key of the limit, named in the error. */
  limitKey: string;
}

/**
 * Multer's memory storage with a limit per field: multer's own `fileSize`
 * is one limit for every file, so a 1 MiB Sigstore bundle field would be
 * buffered up to the 50 MiB artifact limit before it could be refused.
 * Here each part is cut off as soon as it passes its own limit.
 */
class LimitedMemoryStorage implements multer.StorageEngine {
  constructor(private readonly limits: Record<string, FieldLimit>) {}

  _handleFile(
    _req: UploadRequest,
    file: Express.Multer.File,
    callback: (error?: any, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const limit = this.limits[file.fieldname];
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error?: Error, info?: Partial<Express.Multer.File>) => {
      if (settled) return;
      settled = true;
      callback(error, info);
    };
    file.stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (!limit || size > limit.maxBytes) {
        chunks.length = 0;
        settle(
          new FieldTooLargeError(
            file.fieldname,
            limit?.maxBytes ?? 0,
            limit?.limitKey ?? 'no limit configured',
          ),
        );
        // Multer drains the rest of the request and answers with the error.
        file.stream.resume();
        return;
      }
      chunks.push(chunk);
    });
    file.stream.on('error', error => settle(error));
    file.stream.on('end', () =>
      settle(undefined, { buffer: Buffer.concat(chunks), size }),
    );
  }

  _removeFile(
    _req: UploadRequest,
    file: Express.Multer.File,
    callback: (error: Error | null) => void,
  ): void {
    (file as { buffer?: Buffer }).buffer = undefined;
    callback(null);
  }
}

/** Multer for the given file fields, each read into memory up to its own limit. */
export function limitedUpload(
  limits: Record<string, FieldLimit>,
  other: multer.Options['limits'],
): express.RequestHandler {
  const handler: unknown = multer({
    storage: new LimitedMemoryStorage(limits),
    limits: {
      ...other,
      fileSize: Math.max(...Object.values(limits).map(l => l.maxBytes)),
    },
  }).fields(Object.keys(limits).map(name => ({ name, maxCount: 1 })));
  // Typed against Express 5's request by @types/multer; the handler is the same.
  return handler as express.RequestHandler;
}
