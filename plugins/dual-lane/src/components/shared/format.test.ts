import {
  formatBytes,
  formatMinutes,
  formatRatio,
  formatTime,
  plural,
  shortDigest,
} from './format';

describe('format', () => {
  it('formats times in UTC to the minute', () => {
    expect(formatTime('2026-11-23T21:06:59.123Z')).toBe('2026-11-23 21:06 UTC');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('not a date')).toBe('not a date');
  });

  it('formats durations in minutes, hours and days', () => {
    expect(formatMinutes(15)).toBe('15 min');
    expect(formatMinutes(125)).toBe('2 h 5 min');
    expect(formatMinutes(120)).toBe('2 h');
    expect(formatMinutes(60 * 24 * 3 + 60 * 4 + 10)).toBe('3 d 4 h');
    expect(formatMinutes(null)).toBe('—');
  });

  it('shortens digests and keeps short ones', () => {
    expect(shortDigest(`sha256:${'a'.repeat(64)}`)).toBe(
      `sha256:${'a'.repeat(12)}…`,
    );
    expect(shortDigest('sha256:ab')).toBe('sha256:ab');
  });

  it('formats ratios, sizes and counts', () => {
    expect(formatRatio(0.9534)).toBe('95.3%');
    expect(formatRatio(null)).toBe('—');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
    expect(plural(1, 'entity', 'entities')).toBe('1 entity');
    expect(plural(2, 'artifact')).toBe('2 artifacts');
  });
});
