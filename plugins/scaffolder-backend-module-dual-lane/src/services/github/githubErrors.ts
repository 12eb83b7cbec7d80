interface ErrorLike {
  status?: number;
  message?: string;
  response?: {
    data?: {
      message?: string;
      errors?: Array<{ message?: string; code?: string } | string>;
    };
  };
}

export function statusOf(error: unknown): number | undefined {
  return (error as ErrorLike)?.status;
}

/** GitHub's own words: the `message` plus any `errors[]` details. */
export function githubMessage(error: unknown): string {
  const e = error as ErrorLike;
  const data = e?.response?.data;
  const details = (data?.errors ?? [])
    .map(item => (typeof item === 'string' ? item : item.message ?? item.code))
    .filter(Boolean);
  const message = data?.message ?? e?.message ?? String(error);
  return details.length ? `${message} (${details.join('; ')})` : message;
}

/** 422 answers meaning "this already exists" (repository, label, ref). */
export function isAlreadyExists(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const text = githubMessage(error).toLowerCase();
  return text.includes('already exists') || text.includes('already_exists');
}

/** An error that says which step failed, with GitHub's status and message. */
export class GithubStepError extends Error {
  readonly status?: number;
  constructor(step: string, cause: unknown, hint?: string) {
    const status = statusOf(cause);
    super(
      `${step} failed: GitHub answered ${
        status ?? 'with an error'
      }: ${githubMessage(cause)}${hint ? `. ${hint}` : ''}`,
    );
    this.name = 'GithubStepError';
    this.status = status;
  }
}
