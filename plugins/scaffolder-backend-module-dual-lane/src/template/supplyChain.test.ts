import { bundleFromJSON } from '@sigstore/bundle';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { curlCalls, fakeCurl, writeTools } from '../__testUtils__/fakeTools';
import {
  cleanUpTemp,
  renderSkeleton,
  tmp,
} from '../__testUtils__/renderSkeleton';

afterAll(cleanUpTemp);

const sha256 = (data: Buffer | string) =>
  createHash('sha256').update(data).digest('hex');
const b64 = (value: unknown) =>
  Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value),
  ).toString('base64');

const MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const material = { certificate: { rawBytes: b64('cert') }, tlogEntries: [] };

/** An SLSA v1 statement as actions/attest-build-provenance writes it. */
function statement(subjectHex: string, commit: string, name = 'changes.patch') {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: subjectHex } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/heads/feature/add-search',
            repository: 'https://github.com/acme/payments',
            path: '.github/workflows/slsa-verification.yml',
          },
        },
        resolvedDependencies: [
          {
            uri: 'git+https://github.com/acme/payments@refs/heads/feature/add-search',
            digest: { gitCommit: commit },
          },
        ],
      },
      runDetails: {
        builder: {
          id: 'https://github.com/acme/payments/.github/workflows/slsa-verification.yml@refs/heads/feature/add-search',
        },
      },
    },
  };
}

/** A Sigstore bundle with a DSSE envelope, as the attest action's bundle-path. */
const dsseBundle = (
  payload: unknown,
  signatures = [{ sig: b64('sig'), keyid: '' }],
) => ({
  mediaType: MEDIA_TYPE,
  verificationMaterial: material,
  dsseEnvelope: {
    payload: b64(payload),
    payloadType: 'application/vnd.in-toto+json',
    signatures,
  },
});

describe('Sigstore bundle format (scripts/check-sigstore-bundle.sh)', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = (await renderSkeleton()).workspacePath;
  });

  const fixtures: Record<string, unknown> = {
    'cosign v2 legacy bundle': {
      base64Signature: b64('sig'),
      cert: b64('-----BEGIN CERTIFICATE-----'),
      rekorBundle: {
        SignedEntryTimestamp: b64('set'),
        Payload: { body: 'x', integratedTime: 1, logIndex: 1, logID: 'a' },
      },
    },
    'v0.3 message signature (cosign v3)': {
      mediaType: MEDIA_TYPE,
      verificationMaterial: material,
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: b64('d') },
        signature: b64('sig'),
      },
    },
    'v0.3 DSSE attestation': dsseBundle(
      statement('a'.repeat(64), 'b'.repeat(40)),
    ),
    'DSSE with two signatures': dsseBundle({}, [
      { sig: b64('1'), keyid: '' },
      { sig: b64('2'), keyid: '' },
    ]),
    'no transparency-log entries (proto3 JSON leaves empty lists out)': {
      mediaType: MEDIA_TYPE,
      verificationMaterial: { certificate: { rawBytes: b64('cert') } },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: b64('d') },
        signature: b64('sig'),
      },
    },
    'foreign media type': {
      mediaType: 'application/json',
      verificationMaterial: material,
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: b64('d') },
        signature: b64('sig'),
      },
    },
  };

  it.each(Object.keys(fixtures))(
    "accepts %s exactly when the backend's parser (@sigstore/bundle) does",
    name => {
      let backendAccepts = true;
      try {
        bundleFromJSON(fixtures[name]);
      } catch {
        backendAccepts = false;
      }
      const file = path.join(tmp(), 'bundle.sigstore.json');
      fs.writeFileSync(file, JSON.stringify(fixtures[name]));
      const result = spawnSync(
        path.join(workspace, 'scripts/check-sigstore-bundle.sh'),
        [file],
        { encoding: 'utf8' },
      );
      expect({ name, accepted: result.status === 0 }).toEqual({
        name,
        accepted: backendAccepts,
      });
    },
  );

  it("names cosign's legacy format when it meets it", () => {
    const file = path.join(tmp(), 'legacy.sigstore.json');
    fs.writeFileSync(file, JSON.stringify(fixtures['cosign v2 legacy bundle']));
    expect(() => bundleFromJSON(fixtures['cosign v2 legacy bundle'])).toThrow();
    expect(
      spawnSync(
        path.join(workspace, 'scripts/check-sigstore-bundle.sh'),
        [file],
        {
          encoding: 'utf8',
        },
      ),
    ).toMatchObject({
      status: 1,
      stdout: expect.stringContaining("cosign's legacy bundle format"),
    });
  });

  it('signs policy bundles with cosign v3 and checks the format after signing', () => {
    for (const file of ['policy-verification.yml', 'negative-tests.yml']) {
      const workflow = parse(
        fs.readFileSync(
          path.join(workspace, '.github/workflows', file),
          'utf8',
        ),
      );
      const steps = Object.values<any>(workflow.jobs).flatMap(j => j.steps);
      const installers = steps
        .map(s => s.uses)
        .filter((u: string) => u?.startsWith('sigstore/cosign-installer@'));
      expect({ file, installers }).toEqual({
        file,
        installers: ['sigstore/cosign-installer@v4'],
      });
    }
    const policy = parse(
      fs.readFileSync(
        path.join(workspace, '.github/workflows/policy-verification.yml'),
        'utf8',
      ),
    );
    const sign = policy.jobs['policy-bundle'].steps.find((s: any) =>
      /cosign sign-blob/.test(s.run ?? ''),
    );
    expect(sign.run).toContain(
      './scripts/check-sigstore-bundle.sh policies.tar.gz.sigstore.json',
    );
  });
});

describe('artifact bundle (slsa-verification.yml and its scripts)', () => {
  let workspace: string;
  let repo: string;
  let base: string;
  let head: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo }).toString().trim();
  const commit = (message: string) => {
    fs.appendFileSync(path.join(repo, 'change.txt'), `${message}\n`);
    git('add', '.');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '-m',
      message,
    );
    return git('rev-parse', 'HEAD');
  };
  const script = (name: string, args: string[], env: object = {}) =>
    spawnSync(path.join(repo, 'scripts', name), args, {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, ...env },
    });

  beforeAll(async () => {
    workspace = (await renderSkeleton()).workspacePath;
    repo = tmp();
    fs.cpSync(workspace, repo, { recursive: true });
    git('init', '-q', '-b', 'main');
    base = commit('initial');
    git('checkout', '-q', '-b', 'feature/add-search');
    commit('search index [CODEX-READY:add-search]');
    head = commit('apply search [CLAUDE-APPLIED:add-search]');
  });

  /** The bundle directory the build job assembles before packing. */
  const assemble = (
    overrides: { commit?: string; specVersion?: string; subject?: string } = {},
  ) => {
    const out = path.join(tmp(), 'out');
    expect(script('build-artifact-bundle.sh', ['main', out]).status).toBe(0);
    const patch = fs.readFileSync(path.join(out, 'changes.patch'));
    fs.writeFileSync(
      path.join(out, 'attestation.intoto'),
      JSON.stringify(
        dsseBundle(
          statement(
            overrides.subject ?? sha256(patch),
            overrides.commit ?? head,
          ),
        ),
      ),
    );
    fs.writeFileSync(
      path.join(out, 'sbom.cdx.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: overrides.specVersion ?? '1.5',
        version: 1,
        components: [],
      }),
    );
    return out;
  };

  it('packs the four required entries reproducibly and checks them as the backend reads them', () => {
    const out = assemble();
    expect(
      fs.readFileSync(path.join(out, 'merge-base.sha'), 'utf8').trim(),
    ).toBe(base);
    const first = path.join(tmp(), 'artifact.tar.gz');
    const second = path.join(tmp(), 'artifact.tar.gz');
    const digest = script('pack-artifact-bundle.sh', [
      out,
      first,
    ]).stdout.trim();
    expect(digest).toBe(sha256(fs.readFileSync(first)));
    script('pack-artifact-bundle.sh', [out, second]);
    expect(sha256(fs.readFileSync(second))).toBe(digest);
    expect(
      execFileSync('tar', ['-tzf', first])
        .toString()
        .split('\n')
        .filter(e => e && e !== './')
        .sort(),
    ).toEqual([
      './attestation.intoto',
      './changes.patch',
      './merge-base.sha',
      './sbom.cdx.json',
    ]);
    expect(script('check-artifact-bundle.sh', [first, head])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining(
        `attestation.intoto names changes.patch built from ${head}`,
      ),
    });
  });

  it('refuses a replayed provenance, another subject and an SBOM that is not CycloneDX 1.5', () => {
    const pack = (out: string) => {
      const file = path.join(tmp(), 'artifact.tar.gz');
      const result = script('pack-artifact-bundle.sh', [out, file]);
      return { file, result };
    };
    const replayed = pack(assemble({ commit: base }));
    expect(
      script('check-artifact-bundle.sh', [replayed.file, head]),
    ).toMatchObject({
      status: 1,
      stdout: expect.stringContaining(`built from ${base}, not ${head}`),
    });
    const other = pack(assemble({ subject: 'c'.repeat(64) }));
    expect(
      script('check-artifact-bundle.sh', [other.file, head]),
    ).toMatchObject({
      status: 1,
      stdout: expect.stringContaining('changes.patch (sha256:'),
    });
    const sbom16 = pack(assemble({ specVersion: '1.6' }));
    expect(sbom16.result).toMatchObject({
      status: 1,
      stdout: expect.stringContaining(
        'sbom.cdx.json is not CycloneDX 1.5 JSON (specVersion 1.6)',
      ),
    });
    const out = assemble();
    fs.rmSync(path.join(out, 'attestation.intoto'));
    fs.writeFileSync(path.join(out, 'notes.txt'), 'x');
    expect(pack(out).result).toMatchObject({
      status: 1,
      stdout: expect.stringMatching(
        /attestation.intoto is missing[\s\S]*notes.txt is not part of the artifact bundle/,
      ),
    });
  });

  it('on the default branch records the built commit as merge-base.sha and patches what the push brought', () => {
    git('checkout', '-q', 'main');
    const before = git('rev-parse', 'HEAD');
    git('merge', '-q', '--no-ff', '-m', 'merge', 'feature/add-search');
    const merged = git('rev-parse', 'HEAD');
    const out = path.join(tmp(), 'main');
    expect(
      script('build-artifact-bundle.sh', ['--default-branch', before, out])
        .status,
    ).toBe(0);
    expect(
      fs.readFileSync(path.join(out, 'merge-base.sha'), 'utf8').trim(),
    ).toBe(merged);
    expect(fs.readFileSync(path.join(out, 'changes.patch'), 'utf8')).toContain(
      '+apply search [CLAUDE-APPLIED:add-search]',
    );
    // A first push (all-zero "before") patches the whole tree.
    const first = path.join(tmp(), 'first');
    script('build-artifact-bundle.sh', [
      '--default-branch',
      '0'.repeat(40),
      first,
    ]);
    expect(
      fs.readFileSync(path.join(first, 'changes.patch'), 'utf8'),
    ).toContain('+++ b/AGENTS.md');
    git('checkout', '-q', 'feature/add-search');
  });

  describe('publishing', () => {
    const env = (extra: object = {}) => ({
      GITHUB_SHA: head,
      GITHUB_REPOSITORY: 'acme/payments',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '42',
      GITHUB_REF_NAME: 'feature/add-search',
      BACKSTAGE_URL: 'https://backstage.example.com/',
      BACKSTAGE_INGEST_TOKEN: 'ingest-token',
      ...extra,
    });
    let artifact: string;
    let bundle: string;
    beforeAll(() => {
      artifact = path.join(tmp(), 'built.tar.gz');
      script('pack-artifact-bundle.sh', [assemble(), artifact]);
      bundle = path.join(tmp(), 'provenance.json');
      fs.writeFileSync(
        bundle,
        JSON.stringify(
          dsseBundle(
            statement(
              sha256(fs.readFileSync(artifact)),
              head,
              'artifact.tar.gz',
            ),
          ),
        ),
      );
    });

    it('posts the artifact and its bundle to the ingest route with the head commit', () => {
      const log = path.join(tmp(), 'curl.log');
      const bin = writeTools(tmp(), { curl: fakeCurl(log) });
      const result = script(
        'publish-artifact-bundle.sh',
        ['ingest', artifact, bundle],
        {
          ...env(),
          PATH: `${bin}:${process.env.PATH}`,
        },
      );
      expect(result.status).toBe(0);
      const [call] = curlCalls(log);
      expect(call.url).toBe(
        'https://backstage.example.com/api/dual-lane/ingest/artifacts',
      );
      expect(call.headers).toContain('Authorization: Bearer ingest-token');
      // The fields the route's schema accepts (ingestArtifactsRoutes.ts).
      expect(Object.keys(call.fields).sort()).toEqual([
        'artifact',
        'bundle',
        'commitSha',
        'kind',
        'name',
        'repository',
        'sourceUrl',
      ]);
      expect(call.fields.repository).toMatch(/^([\w.-]+\/)?[\w.-]+\/[\w.-]+$/);
      expect(call.fields).toMatchObject({
        repository: 'acme/payments',
        kind: 'artifact-bundle',
        commitSha: head,
        sourceUrl: 'https://github.com/acme/payments/actions/runs/42',
      });
      expect(call.fields.artifact).toMatch(
        /\/artifact\.tar\.gz;type=application\/gzip$/,
      );
      expect(call.fields.bundle).toMatch(
        /\/artifact\.tar\.gz\.sigstore\.json;type=application\/json$/,
      );
    });

    it('fails, saying why, when the backend refuses', () => {
      const log = path.join(tmp(), 'curl.log');
      const bin = writeTools(tmp(), {
        curl: fakeCurl(
          log,
          404,
          '{"error":{"message":"Repository github.com/acme/payments is not known to dual-lane"}}',
        ),
      });
      expect(
        script('publish-artifact-bundle.sh', ['ingest', artifact, bundle], {
          ...env(),
          PATH: `${bin}:${process.env.PATH}`,
        }),
      ).toMatchObject({
        status: 1,
        stdout: expect.stringContaining(
          'answered 404: {"error":{"message":"Repository',
        ),
      });
    });

    it('releases artifact.tar.gz with artifact.tar.gz.sigstore.json, the names the release sync pairs', () => {
      const log = path.join(tmp(), 'gh.log');
      const bin = writeTools(tmp(), {
        gh: `printf '%s\\n' "$*" >> ${JSON.stringify(log)}
if [ "$2" = view ]; then exit 1; fi
for f in "$@"; do [ -f "$f" ] && printf 'ASSET %s\\n' "$(basename "$f")" >> ${JSON.stringify(
          log,
        )}; done
exit 0`,
      });
      expect(
        script('publish-artifact-bundle.sh', ['release', artifact, bundle], {
          ...env({ GITHUB_REF_NAME: 'main' }),
          PATH: `${bin}:${process.env.PATH}`,
        }).status,
      ).toBe(0);
      const lines = fs.readFileSync(log, 'utf8').split('\n');
      expect(lines[1]).toMatch(
        new RegExp(
          `^release create artifact-${head.slice(
            0,
            12,
          )} --repo acme/payments --target ${head} --prerelease --latest=false`,
        ),
      );
      expect(lines.filter(l => l.startsWith('ASSET '))).toEqual([
        'ASSET artifact.tar.gz',
        'ASSET artifact.tar.gz.sigstore.json',
      ]);
    });
  });

  it('runs on pushes (signed for the pushed commit), never on pull_request', () => {
    const workflow = parse(
      fs.readFileSync(
        path.join(workspace, '.github/workflows/slsa-verification.yml'),
        'utf8',
      ),
    );
    expect(Object.keys(workflow.on)).toEqual(['push']);
    expect(workflow.on.push.branches).toEqual(['main', 'feature/**']);
    const build = workflow.jobs['build-artifact'].steps;
    const attested = build
      .filter((s: any) =>
        s.uses?.startsWith('actions/attest-build-provenance@'),
      )
      .map((s: any) => s.with['subject-path']);
    expect(attested).toEqual(['out/changes.patch', 'artifact.tar.gz']);
    expect(build.map((s: any) => s.run ?? '').join('\n')).toContain(
      '-o cyclonedx-json@1.5=out/sbom.cdx.json',
    );
    const publish = workflow.jobs.publish;
    expect(publish.needs).toBe('verify-provenance');
    expect(publish.steps.map((s: any) => s.if).filter(Boolean)).toEqual([
      "env.BACKSTAGE_URL != '' && env.BACKSTAGE_INGEST_TOKEN != ''",
      'github.ref_name == github.event.repository.default_branch',
    ]);
  });
});
