import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AdoptionPolicy } from '../config/readScaffolderConfig';
import { GithubClient } from './githubClient';
import { GithubStepError, isAlreadyExists, statusOf } from './githubErrors';
import { RepoTarget } from './repoNaming';

export type Visibility = 'private' | 'internal' | 'public';

export interface RepositoryRequest {
  target: RepoTarget;
  description?: string;
  visibility: Visibility;
  defaultBranch: string;
  /** Topic marking a dual-lane repository. */
  topic: string;
  /** Whose credentials the action uses: the user's token or the integration's. */
  credentials: 'user' | 'integration';
  adoption: AdoptionPolicy;
}

/** What later steps need to know about the repository (JSON, checkpointed). */
export interface RepositoryFacts {
  created: boolean;
  /**
   * The repository existed with content before this task: its settings and
   * protection are only ever added to, never replaced or weakened.
   */
  adopted?: boolean;
  htmlUrl: string;
  cloneUrl: string;
  defaultBranch: string;
  topics: string[];
}

interface RepoData {
  html_url: string;
  clone_url: string;
  default_branch?: string;
  visibility?: string;
  private: boolean;
  archived?: boolean;
  topics?: string[];
  description?: string | null;
  permissions?: { admin?: boolean };
}

function visibilityOf(repo: RepoData): string {
  return repo.visibility ?? (repo.private ? 'private' : 'public');
}

function factsOf(
  repo: RepoData,
  created: boolean,
  adopted = false,
): RepositoryFacts {
  return {
    created,
    adopted,
    htmlUrl: repo.html_url,
    cloneUrl: repo.clone_url,
    defaultBranch: repo.default_branch ?? '',
    topics: repo.topics ?? [],
  };
}

export async function getRepository(
  client: GithubClient,
  target: RepoTarget,
): Promise<RepoData | undefined> {
  try {
    const { data } = await client.rest.repos.get({
      owner: target.owner,
      repo: target.repo,
    });
    return data as RepoData;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw new GithubStepError(`Reading ${target.owner}/${target.repo}`, e);
  }
}

/** True when the repository has no commits (the Git Data API answers 409). */
export async function isEmptyRepository(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
) {
  try {
    await client.rest.git.getRef({
      owner: target.owner,
      repo: target.repo,
      ref: `heads/${branch}`,
    });
    return false;
  } catch (e) {
    if (statusOf(e) === 409) return true;
    if (statusOf(e) === 404) return false;
    throw new GithubStepError(
      `Reading branch ${branch} of ${target.owner}/${target.repo}`,
      e,
    );
  }
}

async function createRepository(
  client: GithubClient,
  request: RepositoryRequest,
): Promise<RepoData | 'exists'> {
  const { owner, repo } = request.target;
  let ownerType: string;
  try {
    ownerType = (await client.rest.users.getByUsername({ username: owner }))
      .data.type;
  } catch (e) {
    if (statusOf(e) === 404) {
      throw new InputError(`The GitHub owner '${owner}' does not exist`);
    }
    throw new GithubStepError(`Looking up the owner ${owner}`, e);
  }
  try {
    if (ownerType === 'Organization') {
      const { data } = await client.rest.repos.createInOrg({
        org: owner,
        name: repo,
        description: request.description,
        // 'internal' exists on Enterprise organisations; octokit's type omits it.
        visibility: request.visibility as 'private',
        private: request.visibility !== 'public',
        auto_init: false,
      });
      return data as RepoData;
    }
    if (request.visibility === 'internal') {
      throw new InputError(
        `Internal visibility needs an organisation; '${owner}' is a user account`,
      );
    }
    // POST /user/repos creates under whoever the token belongs to; make sure
    // that is the owner the template asked for.
    let login: string;
    try {
      login = (await client.rest.users.getAuthenticated()).data.login;
    } catch (e) {
      throw new NotAllowedError(
        `'${owner}' is a user account; GitHub creates user repositories only for the user the token belongs to, and these credentials are not a user's (${statusOf(
          e,
        )})`,
      );
    }
    if (login.toLowerCase() !== owner.toLowerCase()) {
      throw new NotAllowedError(
        `'${owner}' is a user account but the credentials belong to '${login}'; GitHub would create ${login}/${repo} instead`,
      );
    }
    const { data } = await client.rest.repos.createForAuthenticatedUser({
      name: repo,
      description: request.description,
      private: request.visibility !== 'public',
      auto_init: false,
    });
    return data as RepoData;
  } catch (e) {
    if (isAlreadyExists(e)) return 'exists';
    if (e instanceof InputError || e instanceof NotAllowedError) throw e;
    throw new GithubStepError(`Creating ${owner}/${repo}`, e);
  }
}

/**
 * Returns the repository, creating it when it does not exist. An existing
 * repository is adopted only when it is a dual-lane repository (it carries
 * the topic) or is empty; anything else is refused without a change.
 */
export async function ensureRepository(
  client: GithubClient,
  request: RepositoryRequest,
  logger: LoggerService,
): Promise<RepositoryFacts> {
  const { owner, repo } = request.target;
  let existing = await getRepository(client, request.target);
  if (!existing) {
    const created = await createRepository(client, request);
    if (created !== 'exists') {
      logger.info(
        `Created ${visibilityOf(created)} repository ${owner}/${repo}`,
      );
      return factsOf(created, true);
    }
    // Created concurrently, or by an earlier attempt GitHub had not yet
    // made visible: treat it as existing.
    logger.info(`GitHub says ${owner}/${repo} already exists; checking it`);
    existing = await getRepository(client, request.target);
    if (!existing) {
      throw new ConflictError(
        `GitHub says ${owner}/${repo} already exists but these credentials cannot read it`,
      );
    }
  }
  const adopted = await checkExisting(client, request, existing);
  logger.info(
    adopted
      ? `Adopting the existing dual-lane repository ${owner}/${repo}: its protection and settings are only added to`
      : `Using the existing empty repository ${owner}/${repo}`,
  );
  return factsOf(existing, false, adopted);
}

/** Whether the adoption policy lets these credentials adopt a repository. */
function checkAdoption(request: RepositoryRequest, name: string) {
  if (request.adoption === 'never') {
    throw new NotAllowedError(
      `${name} already exists with content and adopting existing repositories is turned off (dualLane.scaffolder.adoption: never); choose another name`,
    );
  }
  if (request.adoption === 'userToken' && request.credentials !== 'user') {
    throw new NotAllowedError(
      `${name} already exists with content and this task did not create it. Adding the gates to an existing repository needs the user's own GitHub token (RepoUrlPicker requestUserCredentials, passed as the action's token input), so that GitHub checks the user administers it; the integration's credentials only set up repositories the task creates (dualLane.scaffolder.adoption)`,
    );
  }
}

/**
 * Refuses an existing repository the action must not touch; returns whether
 * it has content (adopted) rather than being empty.
 */
async function checkExisting(
  client: GithubClient,
  request: RepositoryRequest,
  existing: RepoData,
): Promise<boolean> {
  const name = `${request.target.owner}/${request.target.repo}`;
  if (existing.archived) {
    throw new ConflictError(
      `${name} exists and is archived; unarchive it or choose another name`,
    );
  }
  if (existing.permissions && existing.permissions.admin === false) {
    throw new NotAllowedError(
      `${name} exists but these credentials are not an admin of it, so its branch cannot be protected`,
    );
  }
  if (visibilityOf(existing) !== request.visibility) {
    throw new ConflictError(
      `${name} exists with visibility '${visibilityOf(existing)}' but '${
        request.visibility
      }' was asked; the action never changes the visibility of an existing repository`,
    );
  }
  const empty = await isEmptyRepository(
    client,
    request.target,
    existing.default_branch ?? request.defaultBranch,
  );
  if (empty) return false;
  if (!(existing.topics ?? []).includes(request.topic)) {
    throw new ConflictError(
      `${name} already exists and is not a dual-lane repository: it has content but not the topic '${request.topic}'. Choose another name, or add the topic if it really is one`,
    );
  }
  checkAdoption(request, name);
  if (existing.default_branch !== request.defaultBranch) {
    throw new ConflictError(
      `${name} already exists with the default branch '${existing.default_branch}'; the action does not change the default branch of an existing repository, ask for '${existing.default_branch}'`,
    );
  }
  return true;
}

/** Adds the dual-lane topic, keeping the repository's other topics. */
export async function ensureTopic(
  client: GithubClient,
  request: RepositoryRequest,
  facts: RepositoryFacts,
) {
  const { owner, repo } = request.target;
  const { data } = await client.rest.repos
    .getAllTopics({ owner, repo })
    .catch(e => {
      throw new GithubStepError(`Reading the topics of ${owner}/${repo}`, e);
    });
  if (data.names.includes(request.topic)) return data.names;
  const names = [...data.names, request.topic];
  await client.rest.repos.replaceAllTopics({ owner, repo, names }).catch(e => {
    throw new GithubStepError(
      `Setting the topic '${request.topic}' on ${owner}/${repo}`,
      e,
    );
  });
  facts.topics = names;
  return names;
}

/** Sets the default branch and description where they differ. */
export async function ensureSettings(
  client: GithubClient,
  request: RepositoryRequest,
) {
  const { owner, repo } = request.target;
  const current = await getRepository(client, request.target);
  if (!current)
    throw new ConflictError(
      `${owner}/${repo} disappeared while it was being set up`,
    );
  const patch: { default_branch?: string; description?: string } = {};
  if (current.default_branch !== request.defaultBranch)
    patch.default_branch = request.defaultBranch;
  if (
    request.description !== undefined &&
    (current.description ?? '') !== request.description
  ) {
    patch.description = request.description;
  }
  if (Object.keys(patch).length === 0) return;
  await client.rest.repos.update({ owner, repo, ...patch }).catch(e => {
    throw new GithubStepError(`Updating the settings of ${owner}/${repo}`, e);
  });
}
