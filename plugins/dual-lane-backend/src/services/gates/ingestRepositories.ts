/** `host/owner/repo` (lower case) of `owner/repo` or `host/owner/repo`. */
export function repositoryKey(repository: string, defaultHost: string): string {
  const parts = repository.split('/');
  return (parts.length === 3 ? parts : [defaultHost, ...parts])
    .join('/')
    .toLowerCase();
}
