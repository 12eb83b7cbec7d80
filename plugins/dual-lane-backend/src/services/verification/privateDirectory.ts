import fs from 'node:fs/promises';
import path from 'node:path';

const STICKY = 0o1000;

/**
 * Makes sure a directory exists and only this process's user can change
 * it: created with mode 0700 when missing; refused when it is a symbolic
 * link, owned by another user or writable by group or others, or when a
 * directory above it is writable by others without the sticky bit (they
 * could rename it away and put their own in its place). Used for the TUF
 * cache, which is trusted as the trusted root's state.
 */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  const target = path.resolve(dir);
  await fs.mkdir(target, { recursive: true, mode: 0o700 });
  const problem = await privacyProblem(target);
  if (problem) {
    throw new Error(
      `refusing the directory ${target}: ${problem} (set dualLane.verification.tuf.cachePath to a directory only the backend's user can write)`,
    );
  }
}

async function privacyProblem(target: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  const stat = await fs.lstat(target);
  if (stat.isSymbolicLink()) return 'it is a symbolic link';
  if (!stat.isDirectory()) return 'it is not a directory';
  if (uid !== undefined && stat.uid !== uid) {
    return `it is owned by uid ${stat.uid}, not ${uid}`;
  }
  if ((stat.mode & 0o022) !== 0) {
    return `it is writable by ${
      stat.mode & 0o020 ? 'its group' : 'others'
    } (mode ${(stat.mode & 0o777).toString(8)})`;
  }
  let parent = path.dirname(target);
  for (;;) {
    const above = await fs.stat(parent);
    if ((above.mode & 0o022) !== 0 && (above.mode & STICKY) === 0) {
      return `${parent} above it is writable by ${
        above.mode & 0o020 ? 'its group' : 'others'
      } without the sticky bit`;
    }
    const next = path.dirname(parent);
    if (next === parent) break;
    parent = next;
  }
  return undefined;
}
