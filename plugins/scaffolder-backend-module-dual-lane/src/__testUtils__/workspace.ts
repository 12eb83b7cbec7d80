import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A minimal dual-lane repository content, as fetch:template would leave it. */
export function dualLaneFiles(
  owner = 'acme',
  repo = 'payments',
): Record<string, string | Buffer> {
  return {
    'README.md': `# ${repo}\n`,
    'AGENTS.md': '# Agents\n- ≥95% PRs with PLAN verdict\n',
    'CLAUDE.md': '# Claude\n- ≥95% PRs with PLAN verdict\n',
    'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${repo}
  annotations:
    github.com/project-slug: ${owner}/${repo}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments-team
`,
    '.github/workflows/gates.yml': `name: Gates
on: pull_request
jobs:
  leo:
    name: Run Gate 3 for PRD-*
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  story:
    name: Check Story Release Gate
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  slsa:
    name: Verify SLSA Provenance
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  policy:
    name: Validate Policy Bundle
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  drift:
    name: Check AGENTS.md vs CLAUDE.md
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
`,
    'scripts/check.sh': '#!/bin/sh\necho ok\n',
    'assets/logo.bin': Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x01,
    ]),
  };
}

/** Writes files into a fresh temporary directory; `*.sh` become executable. */
export function writeWorkspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-ws-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (name.endsWith('.sh')) fs.chmodSync(file, 0o755);
  }
  return dir;
}
