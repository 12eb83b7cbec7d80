import {
  declaredEnvironments,
  negativeTestEnvironmentOf,
  negativeTestOfCheckRun,
  parseNegativeTestReport,
  splitEnvironmentSuffix,
} from './negativeTests';

describe('parseNegativeTestReport', () => {
  it('reads the JSON the template script writes', () => {
    const json = JSON.stringify({
      commit: 'abc',
      results: [
        { name: 'unsigned-image', blocked: true, reason: 'blocked: fail: 1' },
        { name: 'provenance-replay', blocked: false, reason: 'accepted' },
        { name: 'something-else', blocked: true },
      ],
      blocked: 1,
      total: 2,
    });
    expect(parseNegativeTestReport(json)).toEqual([
      { testName: 'unsigned-image', blocked: true, reason: 'blocked: fail: 1' },
      { testName: 'provenance-replay', blocked: false, reason: 'accepted' },
    ]);
  });

  it('reads the job summary table and the script output lines', () => {
    const text = [
      '## Negative tests',
      '',
      '| Test | Blocked | Reason |',
      '|---|---|---|',
      '| unsigned-image | ✅ | kyverno: fail: 1 |',
      '| non-digest-image | ❌ | admitted |',
      '✅ blocked: provenance-replay — subject digest does not match',
      '❌ NOT blocked: policy-tampering — a bundle switched to Audit passed',
    ].join('\n');
    expect(parseNegativeTestReport(text)).toEqual([
      { testName: 'unsigned-image', blocked: true, reason: 'kyverno: fail: 1' },
      { testName: 'non-digest-image', blocked: false, reason: 'admitted' },
      { testName: 'provenance-replay', blocked: true, reason: 'subject digest does not match' },
      { testName: 'policy-tampering', blocked: false, reason: 'a bundle switched to Audit passed' },
    ]);
  });

  it('reads name: outcome lines and lets the last report win', () => {
    expect(
      parseNegativeTestReport('unsigned-image: not blocked\n- `unsigned-image`: blocked\nnon-digest-image: maybe'),
    ).toEqual([{ testName: 'unsigned-image', blocked: true, reason: undefined }]);
    expect(parseNegativeTestReport('{not json')).toEqual([]);
    expect(parseNegativeTestReport(undefined)).toEqual([]);
  });
});

describe('negativeTestOfCheckRun', () => {
  it('maps success to blocked and failure to not blocked', () => {
    expect(negativeTestOfCheckRun({ name: 'negative-test/unsigned-image', status: 'completed', conclusion: 'success' })).toEqual({
      testName: 'unsigned-image',
      blocked: true,
    });
    expect(negativeTestOfCheckRun({ name: 'negative-test/policy-tampering', status: 'completed', conclusion: 'failure' })).toEqual({
      testName: 'policy-tampering',
      blocked: false,
    });
    expect(negativeTestOfCheckRun({ name: 'negative-test/policy-tampering', status: 'in_progress' })).toBeUndefined();
    expect(negativeTestOfCheckRun({ name: 'negative-test/other', status: 'completed', conclusion: 'success' })).toBeUndefined();
    expect(negativeTestOfCheckRun({ name: 'lint', status: 'completed', conclusion: 'success' })).toBeUndefined();
  });
});

describe('where a negative test ran', () => {
  it('reads an environment suffix of a check name', () => {
    expect(splitEnvironmentSuffix('Report Negative Tests (production)')).toEqual({
      name: 'Report Negative Tests',
      environment: 'production',
    });
    expect(splitEnvironmentSuffix('negative-test/unsigned-image (Staging)')).toEqual({
      name: 'negative-test/unsigned-image',
      environment: 'staging',
    });
    expect(splitEnvironmentSuffix('Report Negative Tests (nightly)')).toEqual({
      name: 'Report Negative Tests (nightly)',
    });
  });

  it('reads environment= lines and the JSON environment', () => {
    expect(declaredEnvironments('environment=production')).toEqual(['production']);
    expect(declaredEnvironments('## Negative tests\n- `environment: staging`\nunsigned-image: blocked')).toEqual([
      'staging',
    ]);
    expect(declaredEnvironments(JSON.stringify({ environment: 'production', results: [] }))).toEqual([
      'production',
    ]);
    expect(declaredEnvironments('the environment=production cluster')).toEqual([]);
    expect(declaredEnvironments('environment=prod')).toEqual([]);
  });

  it('is ci unless said otherwise, and refuses contradictions', () => {
    expect(negativeTestEnvironmentOf(undefined, ['unsigned-image: blocked'])).toEqual({ environment: 'ci' });
    expect(negativeTestEnvironmentOf('production', [null, 'environment=production'])).toEqual({
      environment: 'production',
    });
    expect(negativeTestEnvironmentOf(undefined, ['environment=staging'])).toEqual({ environment: 'staging' });
    expect(negativeTestEnvironmentOf('staging', ['environment=production'])).toEqual({
      error: 'it reports for several environments (production, staging)',
    });
  });

  it('finds the test of a one-check-per-test run with an environment suffix', () => {
    expect(
      negativeTestOfCheckRun({ name: 'negative-test/unsigned-image (production)', status: 'completed', conclusion: 'success' }),
    ).toEqual({ testName: 'unsigned-image', blocked: true });
  });
});
