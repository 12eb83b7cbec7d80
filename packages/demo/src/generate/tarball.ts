import zlib from 'node:zlib';
import tar from 'tar-stream';

/** The time every archive entry carries: archives are reproducible. */
const EPOCH = new Date('2025-01-01T00:00:00Z');

/**
 * A reproducible `.tar.gz`: entries in the given order with a fixed mtime,
 * owner and mode (as `tar --mtime --owner=0 --group=0 --sort=name` makes
 * them, which the template's bundle scripts use), gzip without a name or
 * timestamp. The same entries always give the same bytes.
 */
export async function reproducibleTarGz(
  entries: Array<{ name: string; content: string | Buffer }>,
): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const e of entries) {
    const content = Buffer.from(e.content);
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name: e.name,
          size: content.length,
          mode: 0o644,
          mtime: EPOCH,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
          type: 'file',
        },
        content,
        err => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  // gzip's header mtime is 0 and it carries no file name.
  return zlib.gzipSync(await done, { level: 9 });
}
