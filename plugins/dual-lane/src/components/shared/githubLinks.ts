/**
 * Links into GitHub for a repository given as `owner/repo` (the
 * `github.com/project-slug` annotation) or `host/owner/repo`.
 */
export function repositoryUrl(repository: string, host = 'github.com'): string {
  const parts = repository.split('/');
  return parts.length >= 3
    ? `https://${repository}`
    : `https://${host}/${repository}`;
}

export function pullRequestUrl(repository: string, num: number, host?: string) {
  return `${repositoryUrl(repository, host)}/pull/${num}`;
}

export function commitUrl(repository: string, sha: string, host?: string) {
  return `${repositoryUrl(repository, host)}/commit/${sha}`;
}
