import { compareAgentInstructions } from '@dual-lane/plugin-dual-lane-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../__testUtils__/demoEnvironment';
import {
  DEFAULT_SEED,
  generateDemo,
  GeneratedDemo,
  writeDemo,
} from './generateDemo';
import { isSignatureMaterial } from './supplyChain';

jest.setTimeout(60_000);

/** Every output file by its path below `examples/`. */
function outputFiles(demo: GeneratedDemo): Map<string, Buffer> {
  return new Map([
    ...demo.catalog,
    ...[...demo.data].map(([file, bytes]) => [`demo/${file}`, bytes] as const),
  ]);
}

const reproducible = (file: string) =>
  !isSignatureMaterial(file.replace(/^demo\//, ''));

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? listFiles(full, base)
      : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** Every file below a directory with its bytes. */
function readTree(dir: string): Map<string, Buffer> {
  return new Map(
    listFiles(dir)
      .sort()
      .map(f => [f, fs.readFileSync(path.join(dir, f))]),
  );
}

describe('generateDemo', () => {
  let firstDemo: GeneratedDemo;
  let first: Map<string, Buffer>;

  beforeAll(async () => {
    firstDemo = await generateDemo(DEFAULT_SEED);
    first = outputFiles(firstDemo);
  });

  it('makes byte-identical output for the same seed, except signature material', async () => {
    const second = outputFiles(await generateDemo(DEFAULT_SEED));
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    const signatures = [...first.keys()].filter(f => !reproducible(f));
    // Sigstore bundles, the attestation and the trusted root: signed anew each run.
    expect(signatures.length).toBeGreaterThan(15);
    const same = [...first].map(([file, bytes]) => ({
      file,
      same: bytes.equals(second.get(file)!),
    }));
    expect(same).toEqual(
      [...first.keys()].map(file => ({ file, same: reproducible(file) })),
    );
  });

  it('makes another organisation history for another seed', async () => {
    const other = outputFiles(await generateDemo('another seed'));
    const repo = 'demo/github/repos/acme/payments-api.json';
    expect(other.get(repo)!.equals(first.get(repo)!)).toBe(false);
    // The catalog is the story, not the seed's.
    expect(
      other.get('entities.yaml')!.equals(first.get('entities.yaml')!),
    ).toBe(true);
  });

  it('is what is committed under examples/ (run `yarn demo:generate` after changing the generator)', () => {
    const examples = path.join(REPO_ROOT, 'examples');
    const committed = [
      'entities.yaml',
      'org.yaml',
      ...listFiles(path.join(examples, 'demo')).map(f => `demo/${f}`),
    ].sort();
    expect(committed).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) {
      if (!reproducible(file)) continue;
      const same = fs.readFileSync(path.join(examples, file)).equals(bytes);
      expect({ file, same }).toEqual({ file, same: true });
    }
  });

  it('keeps the committed output small', () => {
    const total = [...first.values()].reduce((sum, b) => sum + b.length, 0);
    expect(total).toBeLessThan(600 * 1024);
  });

  it('writes AGENTS.md and CLAUDE.md that agree, and a drifted CLAUDE.md that does not', () => {
    const text = (f: string) => first.get(`demo/github/files/${f}`)!.toString();
    expect(
      compareAgentInstructions(text('AGENTS.md'), text('CLAUDE.md')),
    ).toEqual([]);
    const drift = compareAgentInstructions(
      text('AGENTS.md'),
      text('CLAUDE.drifted.md'),
    );
    expect(drift.map(d => `${d.kind}: ${d.subject}`).sort()).toEqual([
      'gate-missing: Policy Verification / Validate Policies',
      'gate-missing: Policy Verification / Validate Policy Bundle',
      'threshold-mismatch: verdict-coverage',
    ]);
  });

  describe('writeDemo', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dual-lane-demo-write-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('changes nothing when run again for the same seed: the signatures are kept', async () => {
      expect(writeDemo(firstDemo, dir)).toEqual({ signatures: 'written' });
      const before = readTree(dir);
      expect(before.size).toBe(first.size);
      expect(writeDemo(await generateDemo(DEFAULT_SEED), dir)).toEqual({
        signatures: 'kept',
      });
      const after = readTree(dir);
      expect([...after.keys()]).toEqual([...before.keys()]);
      const changed = [...after].filter(([f, b]) => !b.equals(before.get(f)!));
      expect(changed.map(([f]) => f)).toEqual([]);
    });

    it('signs anew when something signed changed, a file is missing or with resign', async () => {
      writeDemo(firstDemo, dir);
      const artifact = path.join(
        dir,
        'demo/releases/payments-api',
        fs.readdirSync(path.join(dir, 'demo/releases/payments-api'))[0],
        'artifact.tar.gz',
      );
      fs.writeFileSync(artifact, 'changed by hand');
      const second = await generateDemo(DEFAULT_SEED);
      expect(writeDemo(second, dir)).toEqual({ signatures: 'written' });
      // Every file is the second run's, its signatures and trusted root included.
      const written = readTree(dir);
      for (const [file, bytes] of outputFiles(second)) {
        expect({ file, same: written.get(file)?.equals(bytes) }).toEqual({
          file,
          same: true,
        });
      }

      fs.rmSync(path.join(dir, 'demo/sigstore/trusted_root.json'));
      expect(writeDemo(second, dir)).toEqual({ signatures: 'written' });
      fs.writeFileSync(path.join(dir, 'demo/stray.json'), '{}');
      expect(writeDemo(second, dir)).toEqual({ signatures: 'written' });
      expect(fs.existsSync(path.join(dir, 'demo/stray.json'))).toBe(false);
      expect(writeDemo(second, dir)).toEqual({ signatures: 'kept' });
      expect(writeDemo(second, dir, { resign: true })).toEqual({
        signatures: 'written',
      });
    });
  });
});
