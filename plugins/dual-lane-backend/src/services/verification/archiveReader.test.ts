import { ArchiveError, readTarGz, safeEntryName } from './archiveReader';
import { DEFAULT_LIMITS } from './config';
import { createTarGz } from '@dual-lane/plugin-dual-lane-node/testUtils';

const keepAll = {
  limits: DEFAULT_LIMITS,
  keep: (n: string) => n !== 'extra.bin',
};

describe('readTarGz', () => {
  it('reads regular files with digests, normalises ./ and reports unknown entries', async () => {
    const data = await createTarGz([
      { name: './', type: 'directory' },
      { name: './changes.patch', content: 'diff' },
      { name: 'extra.bin', content: 'x' },
    ]);
    const contents = await readTarGz(data, keepAll);
    expect(
      contents.entries.map(e => [e.name, e.sizeBytes, e.content?.toString()]),
    ).toEqual([
      ['changes.patch', 4, 'diff'],
      ['extra.bin', 1, undefined],
    ]);
    expect(contents.entries[0].digest).toBe(
      `sha256:${require('node:crypto')
        .createHash('sha256')
        .update('diff')
        .digest('hex')}`,
    );
    expect(contents.unknownEntries).toEqual(['extra.bin']);
  });

  it.each([
    [
      [{ name: '/etc/passwd', content: 'x' }],
      "entry '/etc/passwd' has an absolute path",
    ],
    [
      [{ name: 'a/../../b', content: 'x' }],
      "entry 'a/../../b' escapes the archive with '..'",
    ],
    [
      [{ name: 'hard', type: 'link' as const, linkname: 'changes.patch' }],
      "entry 'hard' is a link -> changes.patch; only regular files are allowed",
    ],
    [
      [{ name: 'dev', type: 'character-device' as const }],
      "entry 'dev' is a character-device; only regular files are allowed",
    ],
    [
      [{ name: 'pipe', type: 'fifo' as const }],
      "entry 'pipe' is a fifo; only regular files are allowed",
    ],
    [
      [
        { name: 'a', content: '1' },
        { name: './a', content: '2' },
      ],
      "entry 'a' appears twice",
    ],
  ])('refuses %j', async (entries, message) => {
    const data = await createTarGz(entries);
    await expect(readTarGz(data, keepAll)).rejects.toThrow(
      new ArchiveError(message),
    );
  });

  it('stops at the entry count, the inflated size and the compressed size', async () => {
    const many = await createTarGz(
      Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: 'x' })),
    );
    await expect(
      readTarGz(many, {
        ...keepAll,
        limits: { ...DEFAULT_LIMITS, maxEntries: 4 },
      }),
    ).rejects.toThrow('archive has more than 4 entries');
    const big = await createTarGz([
      { name: 'f', content: Buffer.alloc(300_000, 1) },
    ]);
    await expect(
      readTarGz(big, {
        ...keepAll,
        limits: { ...DEFAULT_LIMITS, maxUncompressedBytes: 100_000 },
      }),
    ).rejects.toThrow('archive inflates past the limit of 100000 bytes');
    await expect(
      readTarGz(big, {
        ...keepAll,
        limits: { ...DEFAULT_LIMITS, maxCompressedBytes: 10 },
      }),
    ).rejects.toThrow(/compressed, over the limit of 10$/);
    await expect(readTarGz(Buffer.from('not gzip'), keepAll)).rejects.toThrow(
      /^archive is not a readable tar.gz/,
    );
  });

  it('normalises names', () => {
    expect(safeEntryName('./a//b/./c')).toBe('a/b/c');
    expect(() => safeEntryName('C:\\x')).toThrow('absolute path');
    expect(() => safeEntryName('a\\..\\b')).toThrow('backslash');
  });
});
