/*
 * The parts of GitHub's REST and webhook payloads the gates area reads.
 * REST responses and webhook payloads share these shapes (webhooks spell
 * review states in lower case), so both paths go through the same mapping.
 */

export interface GhUser {
  login: string;
}

export interface GhPull {
  id: number;
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  user: GhUser | null;
  head: { ref: string; sha: string };
  base: { ref: string; repo?: { default_branch?: string } | null };
  merge_commit_sha: string | null;
  merged_at: string | null;
  /** Only on a single pull request and in webhooks, not in lists. */
  merged_by?: GhUser | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  labels: Array<{ name?: string } | string>;
}

export interface GhApp {
  id: number;
  slug?: string;
}

export interface GhCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  details_url?: string | null;
  html_url?: string | null;
  app: GhApp | null;
  output?: {
    title?: string | null;
    summary?: string | null;
    text?: string | null;
    annotations_count?: number;
  } | null;
  pull_requests?: Array<{ number: number; head?: { sha: string } }>;
}

export interface GhAnnotation {
  title?: string | null;
  message?: string | null;
  raw_details?: string | null;
}

export interface GhReview {
  id: number;
  user: GhUser | null;
  body: string | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
}

export interface GhIssueComment {
  id: number;
  user: GhUser | null;
  body?: string | null;
  created_at: string;
  updated_at: string;
  /** `.../repos/{owner}/{repo}/issues/{number}` */
  issue_url: string;
}

export interface GhCommit {
  sha: string;
  commit: {
    message: string;
    author: { date?: string } | null;
    committer: { date?: string } | null;
  };
}

/** The number of the issue or pull request an issue comment belongs to. */
export function issueNumberOf(comment: Pick<GhIssueComment, 'issue_url'>) {
  const match = /\/issues\/(\d+)$/.exec(comment.issue_url);
  return match ? Number(match[1]) : undefined;
}

/** When a commit landed: its committer date, else its author date. */
export function commitTime(commit: GhCommit): string | undefined {
  return commit.commit.committer?.date ?? commit.commit.author?.date;
}
