import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDirectory } from './privateDirectory';

describe('ensurePrivateDirectory', () => {
  let base: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-private-'));
  });
  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('creates a missing directory that only its user can open', async () => {
    const dir = path.join(base, 'a', 'b');
    await ensurePrivateDirectory(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    await ensurePrivateDirectory(dir);
  });

  it('refuses a directory others can write, a symbolic link and one under a directory others can replace', async () => {
    const open = path.join(base, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    await expect(ensurePrivateDirectory(open)).rejects.toThrow(
      `refusing the directory ${open}: it is writable by its group (mode 777)`,
    );
    const link = path.join(base, 'link');
    fs.mkdirSync(path.join(base, 'real'), { mode: 0o700 });
    fs.symlinkSync(path.join(base, 'real'), link);
    await expect(ensurePrivateDirectory(link)).rejects.toThrow(
      'it is a symbolic link',
    );
    await expect(
      ensurePrivateDirectory(path.join(open, 'cache')),
    ).rejects.toThrow(
      `${open} above it is writable by its group without the sticky bit`,
    );
  });
});
