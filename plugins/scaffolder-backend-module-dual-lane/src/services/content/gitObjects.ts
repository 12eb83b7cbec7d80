import { createHash } from 'node:crypto';

/** Git file modes the action writes. */
export type GitFileMode = '100644' | '100755' | '120000';

/** One file of the initial content, with its git mode. */
export interface ContentFile {
  /** Relative path with '/' separators, no leading slash. */
  path: string;
  content: Buffer;
  mode: GitFileMode;
}

function objectSha(type: 'blob' | 'tree', body: Buffer): string {
  return createHash('sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/** The SHA-1 git gives a blob with this content (`git hash-object`). */
export function blobSha(content: Buffer): string {
  return objectSha('blob', content);
}

interface Dir {
  files: Map<string, { mode: string; sha: string }>;
  dirs: Map<string, Dir>;
}

function treeShaOf(dir: Dir): string {
  const entries: Array<{
    name: string;
    sortKey: string;
    mode: string;
    sha: string;
  }> = [];
  for (const [name, file] of dir.files) {
    entries.push({ name, sortKey: name, ...file });
  }
  for (const [name, sub] of dir.dirs) {
    // git sorts a tree entry as if its name ended with '/'
    entries.push({
      name,
      sortKey: `${name}/`,
      mode: '40000',
      sha: treeShaOf(sub),
    });
  }
  entries.sort((a, b) =>
    Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)),
  );
  const body = Buffer.concat(
    entries.map(e =>
      Buffer.concat([
        Buffer.from(`${e.mode} ${e.name}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    ),
  );
  return objectSha('tree', body);
}

/**
 * The SHA-1 of the root tree git would write for these files
 * (`git write-tree`). Comparing it with a branch head's tree tells whether
 * the content is already there without uploading anything, and comparing it
 * with the tree GitHub returns proves GitHub stored exactly these bytes and
 * modes.
 */
export function treeSha(files: ContentFile[]): string {
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        dir.dirs.set(part, next);
      }
      dir = next;
    }
    dir.files.set(parts[parts.length - 1], {
      mode: file.mode,
      sha: blobSha(file.content),
    });
  }
  return treeShaOf(root);
}
