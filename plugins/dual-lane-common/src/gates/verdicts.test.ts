import {
  commitAtTime,
  currentVerdict,
  isSupervisor,
  parseVerdictMarker,
  verdictOfComment,
  verdictOfReview,
} from './verdicts';

const convention = { marker: 'PLAN-VERDICT', supervisors: ['plan-bot'], reviewStates: true };

describe('parseVerdictMarker', () => {
  it('reads the last marker, case-insensitively, with either separator', () => {
    expect(parseVerdictMarker('Looks good [PLAN-VERDICT:approved]')).toBe('approved');
    expect(parseVerdictMarker('[plan-verdict: Changes_Requested]')).toBe('changes-requested');
    expect(parseVerdictMarker('[PLAN-VERDICT:approved] then [PLAN-VERDICT:rejected]')).toBe('rejected');
    expect(parseVerdictMarker('[PLAN-VERDICT:maybe]')).toBeUndefined();
    expect(parseVerdictMarker(null)).toBeUndefined();
  });
});

describe('verdictOfReview / verdictOfComment', () => {
  it('prefers the marker over the review state, and needs a supervisor', () => {
    expect(verdictOfReview({ state: 'APPROVED', body: '[PLAN-VERDICT:rejected]', author: 'Plan-Bot' }, convention)).toBe('rejected');
    expect(verdictOfReview({ state: 'changes_requested', body: '', author: 'plan-bot' }, convention)).toBe('changes-requested');
    expect(verdictOfReview({ state: 'APPROVED', author: 'someone' }, convention)).toBeUndefined();
    expect(verdictOfReview({ state: 'COMMENTED', body: 'nice', author: 'plan-bot' }, convention)).toBeUndefined();
    expect(verdictOfReview({ state: 'DISMISSED', body: '[PLAN-VERDICT:approved]', author: 'plan-bot' }, convention)).toBeUndefined();
    expect(verdictOfReview({ state: 'APPROVED', author: 'plan-bot' }, { ...convention, reviewStates: false })).toBeUndefined();
    expect(verdictOfComment({ body: '[PLAN-VERDICT:approved]', author: 'anyone' }, { ...convention, supervisors: [] })).toBe('approved');
  });
});

describe('who may give a verdict', () => {
  const open = { ...convention, supervisors: [] };

  it('without supervisors, counts any account but the pull request author', () => {
    const review = { state: 'APPROVED', body: '[PLAN-VERDICT:approved]', pullRequestAuthor: 'Claude-Exec' };
    expect(verdictOfReview({ ...review, author: 'claude-exec' }, open)).toBeUndefined();
    expect(verdictOfReview({ ...review, author: 'lead' }, open)).toBe('approved');
    expect(verdictOfReview({ ...review, author: undefined }, open)).toBeUndefined();
    expect(verdictOfComment({ body: '[PLAN-VERDICT:approved]', author: 'CLAUDE-EXEC', pullRequestAuthor: 'claude-exec' }, open)).toBeUndefined();
    expect(verdictOfComment({ body: '[PLAN-VERDICT:approved]', author: 'lead', pullRequestAuthor: 'claude-exec' }, open)).toBe('approved');
    expect(isSupervisor('claude-exec', open, 'claude-exec')).toBe(false);
    expect(isSupervisor('lead', open, 'claude-exec')).toBe(true);
  });

  it('with supervisors, counts only them', () => {
    expect(verdictOfReview({ state: 'APPROVED', author: 'lead', pullRequestAuthor: 'claude-exec' }, convention)).toBeUndefined();
    expect(verdictOfReview({ state: 'APPROVED', author: 'plan-bot', pullRequestAuthor: 'claude-exec' }, convention)).toBe('approved');
    expect(verdictOfComment({ body: '[PLAN-VERDICT:approved]', author: 'claude-exec', pullRequestAuthor: 'claude-exec' }, convention)).toBeUndefined();
  });
});

describe('currentVerdict', () => {
  const v = (verdict: any, author: string, commitSha: string, recordedAt: string) => ({ verdict, author, commitSha, recordedAt });

  it('takes each supervisor’s latest verdict on the head; an objection wins', () => {
    expect(
      currentVerdict(
        [
          v('changes-requested', 'a', 'h', '2025-01-01T00:00:00Z'),
          v('approved', 'a', 'h', '2025-01-02T00:00:00Z'),
          v('approved', 'b', 'h', '2025-01-02T00:00:00Z'),
          v('rejected', 'c', 'old', '2025-01-03T00:00:00Z'),
        ],
        'h',
      )?.verdict,
    ).toBe('approved');
    expect(
      currentVerdict([v('approved', 'a', 'h', '2025-01-02T00:00:00Z'), v('changes-requested', 'b', 'h', '2025-01-01T00:00:00Z')], 'h')?.verdict,
    ).toBe('changes-requested');
    expect(currentVerdict([v('approved', 'a', 'old', '2025-01-02T00:00:00Z')], 'h')).toBeUndefined();
  });
});

describe('commitAtTime', () => {
  it('finds the newest commit at or before a time', () => {
    const commits = [
      { sha: 'a', committedAt: '2025-01-01T00:00:00Z' },
      { sha: 'b', committedAt: '2025-01-03T00:00:00Z' },
    ];
    expect(commitAtTime(commits, '2025-01-02T00:00:00Z')).toBe('a');
    expect(commitAtTime(commits, '2025-01-03T00:00:00Z')).toBe('b');
    expect(commitAtTime(commits, '2024-12-31T00:00:00Z')).toBeUndefined();
  });
});
