import {
  DEFAULT_GO_NO_GO_THRESHOLDS,
  parseThreshold,
  resolveThresholds,
} from './thresholds';

describe('thresholds', () => {
  it('defaults to the seed', () => {
    expect(DEFAULT_GO_NO_GO_THRESHOLDS).toEqual({
      'verdict-coverage': 95,
      'rework-cycles': 2,
      'artifacts-signed': 100,
      'provenance-verified': 100,
      'negative-tests-blocked': 1,
      'drift-incidents': 0,
      'label-accuracy': 100,
    });
  });

  it('parses percentages and counts, refusing what does not fit the unit', () => {
    expect(parseThreshold('verdict-coverage', '90')).toEqual({ value: 90 });
    expect(parseThreshold('verdict-coverage', ' 92.5% ')).toEqual({
      value: 92.5,
    });
    expect(parseThreshold('verdict-coverage', 101)).toEqual({
      error: 'verdict-coverage: 101 is not a percentage from 0 to 100',
    });
    expect(parseThreshold('rework-cycles', '1.5')).toEqual({
      error: 'rework-cycles: 1.5 is not a whole number of at least 0',
    });
    expect(parseThreshold('drift-incidents', 'none')).toEqual({
      error: "drift-incidents: 'none' is not a number",
    });
  });

  it("layers config over defaults and annotations over config under 'any'", () => {
    const resolved = resolveThresholds({
      policy: 'any',
      configured: { 'verdict-coverage': 97, 'rework-cycles': 3 },
      annotations: {
        'dual-lane/go-no-go.verdict-coverage': '90',
        'dual-lane/other': 'x',
      },
    });
    expect(resolved.thresholds['verdict-coverage']).toBe(90);
    expect(resolved.thresholds['rework-cycles']).toBe(3);
    expect(resolved.sources).toMatchObject({
      'verdict-coverage': 'annotation',
      'rework-cycles': 'config',
      'label-accuracy': 'default',
    });
    expect(resolved.errors).toEqual([]);
  });

  it('reports bad annotations and keeps the configured threshold', () => {
    const resolved = resolveThresholds({
      annotations: {
        'dual-lane/go-no-go.verdict-coverage': 'lots',
        'dual-lane/go-no-go.coverage': '90',
      },
    });
    expect(resolved.thresholds['verdict-coverage']).toBe(95);
    expect(resolved.errors).toEqual([
      "dual-lane/go-no-go.verdict-coverage: 'lots' is not a number",
      'dual-lane/go-no-go.coverage: unknown criterion; expected one of verdict-coverage, rework-cycles, artifacts-signed, provenance-verified, negative-tests-blocked, drift-incidents, label-accuracy',
    ]);
  });

  it('by default lets an annotation raise the bar, never lower it', () => {
    const resolved = resolveThresholds({
      configured: { 'verdict-coverage': 97 },
      annotations: {
        'dual-lane/go-no-go.verdict-coverage': '90',
        'dual-lane/go-no-go.drift-incidents': '3',
        'dual-lane/go-no-go.label-accuracy': '100',
        'dual-lane/go-no-go.rework-cycles': '1',
      },
    });
    expect(resolved.thresholds).toMatchObject({
      'verdict-coverage': 97,
      'drift-incidents': 0,
      'label-accuracy': 100,
      'rework-cycles': 1,
    });
    expect(resolved.sources).toMatchObject({
      'verdict-coverage': 'config',
      'drift-incidents': 'default',
      'label-accuracy': 'annotation',
      'rework-cycles': 'annotation',
    });
    expect(resolved.errors).toEqual([
      "dual-lane/go-no-go.verdict-coverage: 90 is less strict than 97; only stricter overrides are allowed (dualLane.goNoGo.annotationOverrides is 'stricter')",
      "dual-lane/go-no-go.drift-incidents: 3 is less strict than 0; only stricter overrides are allowed (dualLane.goNoGo.annotationOverrides is 'stricter')",
    ]);
  });

  it("honours only stricter overrides under 'stricter', none under 'off'", () => {
    const annotations = {
      'dual-lane/go-no-go.verdict-coverage': '90',
      'dual-lane/go-no-go.rework-cycles': '1',
    };
    const stricter = resolveThresholds({ annotations, policy: 'stricter' });
    expect(stricter.thresholds['verdict-coverage']).toBe(95);
    expect(stricter.thresholds['rework-cycles']).toBe(1);
    expect(stricter.errors).toEqual([
      "dual-lane/go-no-go.verdict-coverage: 90 is less strict than 95; only stricter overrides are allowed (dualLane.goNoGo.annotationOverrides is 'stricter')",
    ]);
    const off = resolveThresholds({ annotations, policy: 'off' });
    expect(off.thresholds).toEqual(DEFAULT_GO_NO_GO_THRESHOLDS);
    expect(off.errors).toHaveLength(2);
  });
});
