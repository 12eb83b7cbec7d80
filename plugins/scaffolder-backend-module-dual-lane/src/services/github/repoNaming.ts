import { InputError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** One GitHub repository the action works on. */
export interface RepoTarget {
  host: string;
  owner: string;
  repo: string;
  /** REST API base URL of the host's integration. */
  apiBaseUrl: string;
}

// GitHub logins: letters, digits and single inner hyphens, at most 39.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
// GitHub silently replaces anything else with '-'; refusing keeps the
// repository at the name the user asked for.
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/;

/**
 * Parses a RepoUrlPicker value (`github.com?owner=acme&repo=svc`) and
 * checks owner and name against GitHub's rules and the configured allow
 * list. Throws before anything is sent to GitHub.
 */
export function resolveRepoTarget(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
  allowedOwners: string[] | undefined,
): RepoTarget {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch (e) {
    throw new InputError(
      `Invalid repoUrl '${repoUrl}': ${(e as Error).message}`,
    );
  }
  const { host, owner, repo } = parsed;
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new InputError(
      `No GitHub integration for host '${host}'; add it under integrations.github in app-config`,
    );
  }
  if (!owner || !OWNER.test(owner)) {
    throw new InputError(
      `'${
        owner ?? ''
      }' is not a valid GitHub owner: use letters, digits and single hyphens (not at the start or end), at most 39 characters`,
    );
  }
  validateRepoName(repo);
  if (allowedOwners && !allowedOwners.includes(owner.toLowerCase())) {
    throw new NotAllowedError(
      `Creating repositories in '${owner}' is not allowed; dualLane.scaffolder.allowedOwners lists ${
        allowedOwners.length ? allowedOwners.join(', ') : 'no owner'
      }`,
    );
  }
  return {
    host,
    owner,
    repo,
    apiBaseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
  };
}

export function validateRepoName(repo: string) {
  if (
    !REPO.test(repo) ||
    repo === '.' ||
    repo === '..' ||
    /\.git$/i.test(repo)
  ) {
    throw new InputError(
      `'${repo}' is not a valid GitHub repository name: use 1 to 100 letters, digits, '.', '-' or '_', not '.' or '..', and no '.git' suffix`,
    );
  }
}

/** Git's check-ref-format rules for one branch name. */
export function validateBranchName(branch: string, what = 'branch name') {
  const bad =
    !branch ||
    branch.length > 255 ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch === '@' ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.includes('@{') ||
    // eslint-disable-next-line no-control-regex
    /[\x00-\x20\x7f~^:?*[\\]/.test(branch) ||
    branch
      .split('/')
      .some(part => part.startsWith('.') || part.endsWith('.lock'));
  if (bad) {
    throw new InputError(`'${branch}' is not a valid git ${what}`);
  }
}

/** A lane slug as used in `staging/<slug>` and `[CODEX-READY:<slug>]`. */
export function validateLaneSlug(slug: string) {
  if (
    !SLUG.test(slug) ||
    slug.includes('..') ||
    slug.endsWith('.lock') ||
    slug.endsWith('.')
  ) {
    throw new InputError(
      `'${slug}' is not a valid lane slug: use lower-case letters, digits, '.', '-' or '_', starting with a letter or digit, at most 63 characters`,
    );
  }
}
