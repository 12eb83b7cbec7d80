import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blobSha, ContentFile, treeSha } from './gitObjects';

function git(cwd: string, args: string[], input?: Buffer) {
  return execFileSync('git', args, { cwd, input }).toString().trim();
}

describe('gitObjects', () => {
  // The expected values come from git itself, so the hashing is checked
  // against an independent implementation.
  let repo: string;
  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'git-objects-'));
    git(repo, ['init', '-q']);
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('hashes blobs like git hash-object', () => {
    for (const content of ['', 'hello\n', 'ünïcode ≥95%\n']) {
      const buffer = Buffer.from(content);
      expect(blobSha(buffer)).toBe(
        git(repo, ['hash-object', '--stdin'], buffer),
      );
    }
  });

  it('hashes trees like git write-tree, with modes, symlinks and nesting', () => {
    const files: ContentFile[] = [
      { path: 'README.md', content: Buffer.from('# hi\n'), mode: '100644' },
      { path: 'a-b/x.txt', content: Buffer.from('1'), mode: '100644' },
      { path: 'a/b/c.sh', content: Buffer.from('#!/bin/sh\n'), mode: '100755' },
      { path: 'a.txt', content: Buffer.from('2'), mode: '100644' },
      { path: 'link', content: Buffer.from('README.md'), mode: '120000' },
      {
        path: '.github/workflows/ci.yml',
        content: Buffer.from('on: push\n'),
        mode: '100644',
      },
      {
        path: 'bin/data',
        content: Buffer.from([0, 1, 2, 255]),
        mode: '100644',
      },
    ];
    for (const file of files) {
      const sha = git(repo, ['hash-object', '-w', '--stdin'], file.content);
      git(repo, [
        'update-index',
        '--add',
        '--cacheinfo',
        `${file.mode},${sha},${file.path}`,
      ]);
    }
    expect(treeSha(files)).toBe(git(repo, ['write-tree']));
  });
});
