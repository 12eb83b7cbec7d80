import {
  NegativeTestReport,
  negativeTestEnvironmentOf,
  parseNegativeTestReport,
} from '@dual-lane/plugin-dual-lane-common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { curlCalls, fakeCurl } from '../__testUtils__/fakeTools';
import {
  cleanUpTemp,
  renderSkeleton,
  tmp,
} from '../__testUtils__/renderSkeleton';

afterAll(cleanUpTemp);

/**
 * A workflow command as GitHub Actions turns it into a check-run annotation:
 * `::<level> <key=value,...>::<message>`, properties and message unescaped.
 */
function annotations(stdout: string) {
  const unescape = (text: string) =>
    text
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  return stdout.split('\n').flatMap(line => {
    const m = /^::(notice|warning|error)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) return [];
    const props = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map(p => p.split('=').map(unescape)),
    );
    return [
      { level: m[1], title: props.title as string, message: unescape(m[3]) },
    ];
  });
}

/**
 * What the backend makes of the check run's annotations: each message, and
 * `title: message`, through parseNegativeTestReport; last report wins
 * (dual-lane-backend src/services/gates/githubMapping.ts).
 */
function backendReading(
  list: Array<{ title?: string; message: string }>,
): Record<string, boolean> {
  const reports = new Map<string, boolean>();
  for (const text of list.flatMap(a => [
    a.message,
    a.title ? `${a.title}: ${a.message}` : undefined,
  ])) {
    for (const r of parseNegativeTestReport(text) as NegativeTestReport[]) {
      reports.set(r.testName, r.blocked);
    }
  }
  return Object.fromEntries(reports);
}

/** The environment the backend records the annotations' results under. */
function backendEnvironment(list: Array<{ title?: string; message: string }>) {
  return negativeTestEnvironmentOf(
    undefined,
    list.map(a => a.message),
  );
}

/**
 * Stand-ins for kyverno, skopeo, gh and cosign that behave like the real
 * gates, and a kubectl whose cluster denies pods like an admission
 * controller with the template's policies would (or admits everything, or
 * cannot be reached).
 */
function fakeTools(options: {
  admitTags?: boolean;
  skopeoFails?: boolean;
  cluster?: 'enforcing' | 'admits' | 'unreachable';
  curlLog?: string;
}) {
  const bin = tmp();
  const write = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}`, {
      mode: 0o755,
    });
  write(
    'kyverno',
    `policy="$2"; resource="$4"
if [[ "$policy" == *require-digest* ]] && ${
      options.admitTags ? 'true' : 'false'
    }; then echo "pass: 1, fail: 0, warn: 0, error: 0, skip: 0"; exit 0; fi
if [[ "$policy" == *require-signed-images* ]] || ! grep -q '@sha256:' "$resource"; then
  echo "policy $(basename "$policy" .yaml) -> resource default/Pod/x failed: 50% of rules"
  echo "pass: 0, fail: 1, warn: 0, error: 0, skip: 0"; exit 1
fi
echo "pass: 1, fail: 0, warn: 0, error: 0, skip: 0"
`,
  );
  write(
    'skopeo',
    options.skopeoFails
      ? 'echo "registry unreachable" >&2; exit 1'
      : `echo '{"Digest":"sha256:${'1'.repeat(64)}"}'`,
  );
  // gh attestation verify <file> --bundle <b> --repo <r>: only the attested file.
  write('gh', '[ "$3" = "$ATTESTED_ARTIFACT" ]');
  // cosign sign-blob --yes --bundle <out> <file> records the file's digest;
  // verify-blob --bundle <b> ... <file> accepts only that digest.
  write(
    'cosign',
    `if [ "$1" = sign-blob ]; then sha256sum "$5" | cut -d' ' -f1 > "$4"; exit 0; fi
[ "$(sha256sum "\${@: -1}" | cut -d' ' -f1)" = "$(cat "$3")" ]
`,
  );
  const cluster = options.cluster ?? 'enforcing';
  write(
    'kubectl',
    cluster === 'unreachable'
      ? 'echo "The connection to the server localhost:8080 was refused" >&2; exit 1'
      : `file="\${@: -1}"
if ${cluster === 'admits' ? 'false' : 'true'} && { ! grep -q '@sha256:' "$file" || grep -q busybox "$file"; }; then
  echo 'Error from server: error when creating "'$file'": admission webhook "validate.kyverno.svc-fail" denied the request: policy Pod/default/x for resource violation' >&2
  exit 1
fi
echo "pod/x created (server dry run)"
`,
  );
  if (options.curlLog) write('curl', fakeCurl(options.curlLog));
  return bin;
}

describe('the negative tests (tests/negative/run-negative-tests.sh)', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = (await renderSkeleton()).workspacePath;
  });

  const run = (
    options: Parameters<typeof fakeTools>[0] = {},
    env: Record<string, string> = {},
  ) => {
    const out = path.join(tmp(), 'negative-tests.json');
    const attested = path.join(tmp(), 'attested.txt');
    const other = path.join(tmp(), 'other.txt');
    fs.writeFileSync(attested, 'attested');
    fs.writeFileSync(other, 'other');
    const result = spawnSync(
      path.join(workspace, 'tests/negative/run-negative-tests.sh'),
      [out],
      {
        encoding: 'utf8',
        env: {
          PATH: `${fakeTools(options)}:${process.env.PATH}`,
          GITHUB_REPOSITORY: 'acme/payments',
          PROVENANCE_BUNDLE: 'bundle.json',
          ATTESTED_ARTIFACT: attested,
          REPLAY_TARGET: other,
          SIGNER_IDENTITY: 'https://github.com/acme/payments/x',
          ...env,
        },
      },
    );
    return { ...result, json: JSON.parse(fs.readFileSync(out, 'utf8')) };
  };

  it('reports each result as a check-run annotation the backend parses', () => {
    const result = run();
    expect(result.status).toBe(0);
    const list = annotations(result.stdout);
    expect(list.map(a => [a.level, a.title])).toEqual([
      ['notice', 'negative-test environment'],
      ['notice', 'negative-test'],
      ['notice', 'negative-test'],
      ['notice', 'negative-test'],
      ['notice', 'negative-test'],
    ]);
    expect(backendReading(list)).toEqual({
      'unsigned-image': true,
      'non-digest-image': true,
      'provenance-replay': true,
      'policy-tampering': true,
    });
    // A reason with '%' and several lines arrives whole, on one line.
    expect(backendEnvironment(list)).toEqual({ environment: 'ci' });
    expect(list[1].message).toMatch(
      /^unsigned-image: blocked — blocked: policy require-signed-images -> resource default\/Pod\/x failed: 50% of rules$/,
    );
    expect(result.json).toMatchObject({ environment: 'ci', blocked: 4, total: 4 });
  });

  it('against a cluster, reports what its admission controller denied, for that environment', () => {
    const curlLog = path.join(tmp(), 'curl.log');
    const result = run(
      { cluster: 'enforcing', curlLog },
      {
        NEGATIVE_TEST_ENVIRONMENT: 'production',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_RUN_ID: '77',
        BACKSTAGE_URL: 'https://backstage.acme.dev/',
        BACKSTAGE_INGEST_TOKEN: 'token',
      },
    );
    expect(result.status).toBe(0);
    const list = annotations(result.stdout);
    expect(backendEnvironment(list)).toEqual({ environment: 'production' });
    expect(backendReading(list)).toEqual({
      'unsigned-image': true,
      'non-digest-image': true,
    });
    expect(list[1].message).toMatch(
      /^unsigned-image: blocked — denied by the cluster: .*admission webhook "validate.kyverno.svc-fail" denied the request/,
    );
    expect(result.json).toMatchObject({ environment: 'production', blocked: 2, total: 2 });
    // ...and posts them to the backend's ingest route.
    const [call] = curlCalls(curlLog);
    expect(call.url).toBe('https://backstage.acme.dev/api/dual-lane/ingest/negative-tests');
    expect(call.headers).toContain('Authorization: Bearer token');
    expect(call.body).toEqual({
      results: ['unsigned-image', 'non-digest-image'].map(testName => ({
        repository: 'acme/payments',
        environment: 'production',
        testName,
        blocked: true,
        commitSha: 'c'.repeat(40),
        evidenceUrl: 'https://github.com/acme/payments/actions/runs/77',
      })),
    });
  });

  it('against a cluster that admits the bad pods, reports them not blocked, and fails', () => {
    const result = run({ cluster: 'admits' }, { NEGATIVE_TEST_ENVIRONMENT: 'staging' });
    expect(result.status).toBe(1);
    const list = annotations(result.stdout);
    expect(backendEnvironment(list)).toEqual({ environment: 'staging' });
    expect(backendReading(list)).toEqual({
      'unsigned-image': false,
      'non-digest-image': false,
    });
  });

  it('reports nothing when the cluster cannot be reached, and refuses an unknown environment', () => {
    const unreachable = run({ cluster: 'unreachable' }, { NEGATIVE_TEST_ENVIRONMENT: 'production' });
    expect(unreachable.status).toBe(1);
    expect(backendReading(annotations(unreachable.stdout))).toEqual({});
    expect(unreachable.json.results[1]).toEqual({
      name: 'non-digest-image',
      blocked: null,
      error: 'the cluster did not answer the dry run: The connection to the server localhost:8080 was refused',
    });
    const out = path.join(tmp(), 'none.json');
    const bad = spawnSync(path.join(workspace, 'tests/negative/run-negative-tests.sh'), [out], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NEGATIVE_TEST_ENVIRONMENT: 'prod' },
    });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain("NEGATIVE_TEST_ENVIRONMENT must be ci, staging or production, got 'prod'");
  });

  it('reports a bad input that got through as not blocked, and fails', () => {
    const result = run({ admitTags: true });
    expect(result.status).toBe(1);
    const list = annotations(result.stdout);
    expect(list.find(a => a.level === 'error')?.message).toMatch(
      /^non-digest-image: not blocked — admitted: pass: 1, fail: 0/,
    );
    expect(backendReading(list)).toMatchObject({
      'non-digest-image': false,
      'unsigned-image': true,
    });
  });

  it('reports nothing for a test that could not run, and fails', () => {
    const result = run({ skopeoFails: true });
    expect(result.status).toBe(1);
    const list = annotations(result.stdout);
    expect(list.find(a => a.level === 'warning')?.message).toBe(
      'unsigned-image could not run — could not resolve the digest of docker.io/library/busybox:1.36',
    );
    const reading = backendReading(list);
    expect(reading).not.toHaveProperty('unsigned-image');
    expect(reading).toMatchObject({ 'non-digest-image': true });
    expect(result.json.results[0]).toEqual({
      name: 'unsigned-image',
      blocked: null,
      error: 'could not resolve the digest of docker.io/library/busybox:1.36',
    });
  });
});
