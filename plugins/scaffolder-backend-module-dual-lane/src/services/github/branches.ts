import { GithubClient } from './githubClient';
import { GithubStepError, isAlreadyExists, statusOf } from './githubErrors';
import { RepoTarget } from './repoNaming';

/** The commit a branch points at, or undefined when it does not exist. */
export async function branchHead(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
) {
  try {
    const { data } = await client.rest.git.getRef({
      owner: target.owner,
      repo: target.repo,
      ref: `heads/${branch}`,
    });
    return data.object.sha;
  } catch (e) {
    if (statusOf(e) === 404 || statusOf(e) === 409) return undefined;
    throw new GithubStepError(
      `Reading branch ${branch} of ${target.owner}/${target.repo}`,
      e,
    );
  }
}

/**
 * Creates the branch at the commit unless it exists; an existing branch is
 * never moved (it may already carry lane work).
 */
export async function ensureBranch(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
  sha: string,
) {
  if (await branchHead(client, target, branch)) return 'exists' as const;
  try {
    await client.rest.git.createRef({
      owner: target.owner,
      repo: target.repo,
      ref: `refs/heads/${branch}`,
      sha,
    });
    return 'created' as const;
  } catch (e) {
    if (isAlreadyExists(e)) return 'exists' as const;
    throw new GithubStepError(
      `Creating branch ${branch} in ${target.owner}/${target.repo}`,
      e,
    );
  }
}
