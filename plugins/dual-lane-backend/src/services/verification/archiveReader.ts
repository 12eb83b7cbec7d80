import crypto from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { ArchiveLimits } from './config';

/** The archive was refused: the message names the entry or the limit. */
export class ArchiveError extends Error {
  name = 'ArchiveError';
}

export interface ArchiveEntry {
  name: string;
  sizeBytes: number;
  /** `sha256:<hex>` */
  digest: string;
  /** Present for entries the caller asked to keep. */
  content?: Buffer;
}

export interface ArchiveContents {
  entries: ArchiveEntry[];
  /** Names the caller did not expect (counted and hashed, not kept). */
  unknownEntries: string[];
  uncompressedBytes: number;
}

export interface ReadArchiveOptions {
  limits: ArchiveLimits;
  /** Whether an entry (by normalised name) is expected and its content kept. */
  keep: (name: string) => boolean;
}

/**
 * Normalises a tar entry name (`./a` → `a`), refusing absolute paths,
 * drive letters, backslashes and `..` segments.
 */
export function safeEntryName(raw: string): string {
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) {
    throw new ArchiveError(`entry '${raw}' has an absolute path`);
  }
  if (raw.includes('\\')) {
    throw new ArchiveError(`entry '${raw}' contains a backslash`);
  }
  if (raw.includes('\0')) {
    throw new ArchiveError(`entry '${raw}' contains a NUL byte`);
  }
  const segments = raw.split('/').filter(s => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new ArchiveError(`entry '${raw}' escapes the archive with '..'`);
  }
  return segments.join('/');
}

/**
 * Reads a `.tar.gz` from memory without touching the disk: gunzip and tar
 * are streamed while the decompressed bytes, the entry count and the
 * compression ratio are counted, so a decompression bomb is stopped at the
 * limit rather than after inflating. Only regular files (and directories,
 * which are skipped) are accepted: links, devices and FIFOs are refused,
 * naming the entry.
 */
export async function readTarGz(
  data: Buffer,
  options: ReadArchiveOptions,
): Promise<ArchiveContents> {
  const { limits } = options;
  if (data.length > limits.maxCompressedBytes) {
    throw new ArchiveError(
      `archive is ${data.length} bytes compressed, over the limit of ${limits.maxCompressedBytes}`,
    );
  }
  const entries: ArchiveEntry[] = [];
  const unknownEntries: string[] = [];
  const seen = new Set<string>();
  let uncompressed = 0;
  let count = 0;

  const gunzip = zlib.createGunzip();
  const counter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      uncompressed += chunk.length;
      if (uncompressed > limits.maxUncompressedBytes) {
        done(
          new ArchiveError(
            `archive inflates past the limit of ${limits.maxUncompressedBytes} bytes (decompression bomb?)`,
          ),
        );
        return;
      }
      if (
        uncompressed > limits.ratioFloorBytes &&
        uncompressed / Math.max(1, data.length) > limits.maxCompressionRatio
      ) {
        done(
          new ArchiveError(
            `archive inflates more than ${limits.maxCompressionRatio}:1 (${uncompressed} bytes from ${data.length}; decompression bomb?)`,
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
  const extract = tar.extract();

  extract.on('entry', (header, stream, next) => {
    // An entry stream errors when the extractor is destroyed under it;
    // the pipeline reports that error once.
    stream.on('error', () => {});
    const fail = (error: Error) => extract.destroy(error);
    count += 1;
    if (count > limits.maxEntries) {
      fail(
        new ArchiveError(`archive has more than ${limits.maxEntries} entries`),
      );
      return;
    }
    let name: string;
    try {
      name = safeEntryName(header.name);
    } catch (error) {
      fail(error as Error);
      return;
    }
    if (header.type === 'directory') {
      stream.resume();
      stream.on('end', () => next());
      return;
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') {
      const target = header.linkname ? ` -> ${header.linkname}` : '';
      fail(
        new ArchiveError(
          `entry '${header.name}' is a ${header.type}${target}; only regular files are allowed`,
        ),
      );
      return;
    }
    if (seen.has(name)) {
      fail(new ArchiveError(`entry '${name}' appears twice`));
      return;
    }
    seen.add(name);
    const keep = options.keep(name);
    if (!keep) unknownEntries.push(name);
    const hash = crypto.createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: unknown) => {
      if (!Buffer.isBuffer(chunk)) return;
      hash.update(chunk);
      size += chunk.length;
      if (keep) chunks.push(chunk);
    });
    stream.on('end', () => {
      entries.push({
        name,
        sizeBytes: size,
        digest: `sha256:${hash.digest('hex')}`,
        content: keep ? Buffer.concat(chunks) : undefined,
      });
      next();
    });
  });

  try {
    await pipeline(Readable.from([data]), gunzip, counter, extract);
  } catch (error) {
    if (error instanceof ArchiveError) {
      throw error;
    }
    throw new ArchiveError(
      `archive is not a readable tar.gz: ${(error as Error).message}`,
    );
  }
  return { entries, unknownEntries, uncompressedBytes: uncompressed };
}
