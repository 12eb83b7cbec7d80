import { NotFoundError } from '@backstage/errors';
import { Repository } from '@dual-lane/plugin-dual-lane-common';
import { DualLaneStore } from '../../database';

/** `host/owner/repo` (lower case) of `owner/repo` or `host/owner/repo`. */
export function repositoryKey(repository: string, defaultHost: string): string {
  const parts = repository.split('/');
  return (parts.length === 3 ? parts : [defaultHost, ...parts])
    .join('/')
    .toLowerCase();
}

/**
 * Looks up the repositories an ingest batch names, by key. Throws a
 * `NotFoundError` listing every unknown one (`<field>[i].repository`) when
 * any is unknown, so the batch is stored whole or not at all.
 */
export async function resolveIngestRepositories(
  store: DualLaneStore,
  defaultHost: string,
  items: Array<{ repository: string }>,
  field: string,
): Promise<Map<string, Repository>> {
  const repos = new Map<string, Repository>();
  const unknown: string[] = [];
  const missing = new Set<string>();
  for (const [i, item] of items.entries()) {
    const key = repositoryKey(item.repository, defaultHost);
    if (repos.has(key)) continue;
    if (missing.has(key)) {
      unknown.push(`${field}[${i}].repository '${item.repository}'`);
      continue;
    }
    const [host, owner, name] = key.split('/');
    const repo = await store.repositories.findRepository(host, owner, name);
    if (repo) {
      repos.set(key, repo);
    } else {
      missing.add(key);
      unknown.push(`${field}[${i}].repository '${item.repository}'`);
    }
  }
  if (unknown.length > 0) {
    throw new NotFoundError(
      `Unknown repository: ${unknown.join(
        ', ',
      )}; no catalog entity has that github.com/project-slug (host ${defaultHost} unless given as host/owner/repo). Nothing was stored.`,
    );
  }
  return repos;
}
