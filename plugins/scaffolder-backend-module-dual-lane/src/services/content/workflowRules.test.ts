import { checkWorkflow, unbalancedExpressions } from './workflowRules';

const valid = `
name: SLSA Verification
on:
  pull_request:
  schedule:
    - cron: '0 0 * * 0'
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  verify:
    name: Verify SLSA Provenance
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: check
        run: echo "\${{ github.sha }}"
`;

describe('checkWorkflow', () => {
  it('accepts a valid workflow and reports check names', () => {
    const result = checkWorkflow(valid);
    expect(result.errors).toEqual([]);
    expect(result.name).toBe('SLSA Verification');
    expect(result.jobs).toEqual([
      { id: 'build', checkName: 'build' },
      { id: 'verify', checkName: 'Verify SLSA Provenance' },
    ]);
  });

  it.each([
    ['invalid YAML', 'on: [push\njobs: {}', /YAML/],
    ['duplicate keys', 'on: push\non: pull_request\njobs: {}', /YAML/],
    [
      'missing on',
      'jobs:\n  a:\n    runs-on: x\n    steps: [{run: ls}]',
      /missing 'on'/,
    ],
    [
      'unknown event',
      'on: pushed\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls}]',
      /unknown event 'pushed'/,
    ],
    [
      'bad cron',
      "on:\n  schedule:\n    - cron: '0 0 *'\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls}]",
      /five-field cron/,
    ],
    ['no jobs', 'on: push\njobs: {}', /'jobs' must be a non-empty map/],
    [
      'bad job id',
      'on: push\njobs:\n  1st:\n    runs-on: x\n    steps: [{run: ls}]',
      /job id must match/,
    ],
    [
      'no runs-on',
      'on: push\njobs:\n  a:\n    steps: [{run: ls}]',
      /missing 'runs-on'/,
    ],
    [
      'step without uses or run',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{name: nothing}]',
      /exactly one of 'uses' or 'run'/,
    ],
    [
      'step with both',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls, uses: a/b@v1}]',
      /exactly one/,
    ],
    [
      'bad uses',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{uses: checkout}]',
      /owner\/repo@ref/,
    ],
    [
      'unknown needs',
      'on: push\njobs:\n  a:\n    needs: b\n    runs-on: x\n    steps: [{run: ls}]',
      /needs unknown job 'b'/,
    ],
    [
      'unknown top-level key',
      'on: push\njob: {}\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls}]',
      /unknown top-level key 'job'/,
    ],
    [
      'unknown step key',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls, args: x}]',
      /unknown key 'args'/,
    ],
    [
      'bad permission',
      'on: push\npermissions:\n  contents: admin\njobs:\n  a:\n    runs-on: x\n    steps: [{run: ls}]',
      /must be read, write or none/,
    ],
    [
      'unclosed expression',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: "echo ${{ github.sha"}]',
      /without a closing/,
    ],
  ])('refuses %s', (_what, text, message) => {
    expect(checkWorkflow(text).errors.join('\n')).toMatch(message);
  });
});

describe('unbalancedExpressions', () => {
  it('finds an expression opened inside another', () => {
    expect(unbalancedExpressions('a: ${{ x ${{ y }}')).toHaveLength(1);
    expect(unbalancedExpressions('a: ${{ x }} and ${{ y }}')).toEqual([]);
  });
});
