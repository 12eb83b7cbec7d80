import { z } from 'zod';

/*
 * The fields of GitHub webhook payloads the handler relies on. Payloads are
 * validated against these before anything is read; extra fields are
 * allowed (GitHub adds fields over time).
 */

const user = z.object({ login: z.string() }).nullable();

export const repositorySchema = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  html_url: z.string().url(),
});

export const pullSchema = z.object({
  id: z.number(),
  number: z.number().int().positive(),
  title: z.string(),
  state: z.string(),
  user,
  head: z.object({ ref: z.string(), sha: z.string().min(7) }),
  base: z.object({ ref: z.string() }),
  merge_commit_sha: z.string().nullable(),
  merged_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  labels: z.array(z.object({ name: z.string() })),
});

export const checkRunSchema = z.object({
  id: z.number(),
  name: z.string(),
  head_sha: z.string().min(7),
  status: z.string(),
  conclusion: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  app: z.object({ id: z.number(), slug: z.string().optional() }).nullable(),
  pull_requests: z.array(z.object({ number: z.number() })).optional(),
});

export const checkSuiteSchema = z.object({
  id: z.number(),
  head_sha: z.string().min(7),
  pull_requests: z.array(z.object({ number: z.number() })),
});

export const reviewSchema = z.object({
  id: z.number(),
  user,
  body: z.string().nullable(),
  state: z.string(),
  commit_id: z.string().nullable(),
  submitted_at: z.string().nullable().optional(),
});

export const commentSchema = z.object({
  id: z.number(),
  user,
  body: z.string().nullable().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  issue_url: z.string(),
});

export const payloadSchemas = {
  pull_request: z.object({
    action: z.string(),
    repository: repositorySchema,
    pull_request: pullSchema,
  }),
  check_run: z.object({
    action: z.string(),
    repository: repositorySchema,
    check_run: checkRunSchema,
  }),
  check_suite: z.object({
    action: z.string(),
    repository: repositorySchema,
    check_suite: checkSuiteSchema,
  }),
  push: z.object({
    ref: z.string(),
    after: z.string(),
    deleted: z.boolean().optional(),
    repository: repositorySchema,
  }),
  pull_request_review: z.object({
    action: z.string(),
    repository: repositorySchema,
    review: reviewSchema,
    pull_request: z.object({
      number: z.number().int().positive(),
      user: user.optional(),
    }),
  }),
  issue_comment: z.object({
    action: z.string(),
    repository: repositorySchema,
    comment: commentSchema,
    issue: z.object({
      number: z.number().int().positive(),
      user: user.optional(),
      pull_request: z.object({}).passthrough().optional(),
    }),
  }),
  label: z.object({
    action: z.string(),
    repository: repositorySchema,
    label: z.object({ name: z.string() }),
    changes: z
      .object({ name: z.object({ from: z.string() }).optional() })
      .optional(),
  }),
};

export type GithubEventName = keyof typeof payloadSchemas;

/** The topics subscribed to (`github.<X-GitHub-Event>`). */
export const GITHUB_TOPICS = Object.keys(payloadSchemas).map(
  name => `github.${name}`,
);

/** `path: message` of the first problem, for the log line. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue
    ? `${issue.path.join('.') || '(payload)'}: ${issue.message}`
    : 'invalid payload';
}

export const KNOWN_ACTIONS: Record<
  Exclude<GithubEventName, 'push'>,
  string[]
> = {
  pull_request: [
    'assigned',
    'auto_merge_disabled',
    'auto_merge_enabled',
    'closed',
    'converted_to_draft',
    'demilestoned',
    'dequeued',
    'edited',
    'enqueued',
    'labeled',
    'locked',
    'milestoned',
    'opened',
    'ready_for_review',
    'reopened',
    'review_request_removed',
    'review_requested',
    'synchronize',
    'unassigned',
    'unlabeled',
    'unlocked',
  ],
  check_run: ['created', 'completed', 'rerequested', 'requested_action'],
  check_suite: ['completed', 'requested', 'rerequested'],
  pull_request_review: ['submitted', 'edited', 'dismissed'],
  issue_comment: ['created', 'edited', 'deleted'],
  label: ['created', 'edited', 'deleted'],
};
