import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { blobSha, ContentFile } from '../content/gitObjects';
import { MARKER_FILES } from '../content/initialContent';
import { GithubClient } from './githubClient';
import { GithubStepError, statusOf } from './githubErrors';
import { RepoTarget } from './repoNaming';

/** Message of the one-file commit that makes an empty repository usable. */
export const BOOTSTRAP_MESSAGE = 'Initialize dual-lane repository';

export interface PushRequest {
  target: RepoTarget;
  branch: string;
  files: ContentFile[];
  /** `treeSha(files)`, computed locally. */
  treeSha: string;
  commitMessage: string;
  author?: { name: string; email: string };
}

/** JSON, so it can be checkpointed. */
export interface PushResult {
  commitSha: string;
  /** False when the branch already held the content (or its own history). */
  pushed: boolean;
}

interface Head {
  commitSha: string;
  treeSha: string;
  parents: number;
  message: string;
}

async function readHead(
  client: GithubClient,
  target: RepoTarget,
  branch: string,
): Promise<Head | 'empty' | 'missing'> {
  const { owner, repo } = target;
  let commitSha: string;
  try {
    commitSha = (
      await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })
    ).data.object.sha;
  } catch (e) {
    if (statusOf(e) === 409) return 'empty';
    if (statusOf(e) === 404) return 'missing';
    throw new GithubStepError(
      `Reading branch ${branch} of ${owner}/${repo}`,
      e,
    );
  }
  const { data } = await client.rest.git
    .getCommit({ owner, repo, commit_sha: commitSha })
    .catch(e => {
      throw new GithubStepError(
        `Reading commit ${commitSha} of ${owner}/${repo}`,
        e,
      );
    });
  return {
    commitSha,
    treeSha: data.tree.sha,
    parents: data.parents.length,
    message: data.message,
  };
}

/**
 * The Git Data API answers 409 on an empty repository; GitHub's documented
 * way out is one commit through the Contents API. It holds one file of the
 * content, so an interrupted run leaves nothing foreign behind.
 */
async function bootstrap(
  client: GithubClient,
  request: PushRequest,
): Promise<Head> {
  const { owner, repo } = request.target;
  const file =
    request.files.find(f => f.path === 'README.md' && f.mode === '100644') ??
    request.files.find(f => f.mode === '100644') ??
    request.files[0];
  const { data } = await client.rest.repos
    .createOrUpdateFileContents({
      owner,
      repo,
      path: file.path,
      message: BOOTSTRAP_MESSAGE,
      content: file.content.toString('base64'),
      branch: request.branch,
      ...(request.author && {
        committer: request.author,
        author: request.author,
      }),
    })
    .catch(e => {
      throw new GithubStepError(
        `Creating the first commit of ${owner}/${repo}`,
        e,
      );
    });
  return {
    commitSha: data.commit.sha!,
    treeSha: data.commit.tree!.sha!,
    parents: 0,
    message: BOOTSTRAP_MESSAGE,
  };
}

async function createTree(
  client: GithubClient,
  request: PushRequest,
): Promise<string> {
  const { owner, repo } = request.target;
  const tree = [];
  for (const file of request.files) {
    const text = file.content.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(file.content)) {
      // Text goes inline: GitHub writes the blob, one request for all files.
      tree.push({
        path: file.path,
        mode: file.mode,
        type: 'blob' as const,
        content: text,
      });
      continue;
    }
    const { data } = await client.rest.git
      .createBlob({
        owner,
        repo,
        content: file.content.toString('base64'),
        encoding: 'base64',
      })
      .catch(e => {
        throw new GithubStepError(`Uploading ${file.path}`, e);
      });
    if (data.sha !== blobSha(file.content)) {
      throw new ConflictError(
        `GitHub stored ${file.path} as ${data.sha}, not ${blobSha(
          file.content,
        )}`,
      );
    }
    tree.push({
      path: file.path,
      mode: file.mode,
      type: 'blob' as const,
      sha: data.sha,
    });
  }
  const { data } = await client.rest.git
    .createTree({ owner, repo, tree })
    .catch(e => {
      throw new GithubStepError(
        `Creating the content tree of ${owner}/${repo}`,
        e,
      );
    });
  if (data.sha !== request.treeSha) {
    throw new ConflictError(
      `GitHub built tree ${data.sha} but the content hashes to ${request.treeSha}; nothing was committed`,
    );
  }
  return data.sha;
}

async function hasMarkerFiles(
  client: GithubClient,
  target: RepoTarget,
  treeSha: string,
) {
  const { data } = await client.rest.git
    .getTree({ owner: target.owner, repo: target.repo, tree_sha: treeSha })
    .catch(e => {
      throw new GithubStepError(
        `Reading the files of ${target.owner}/${target.repo}`,
        e,
      );
    });
  const names = new Set(data.tree.map(entry => entry.path));
  return MARKER_FILES.filter(marker => !names.has(marker));
}

/**
 * Puts the content on the branch as one commit, converging on retries: an
 * empty repository is bootstrapped, a branch already at the content's tree
 * is left alone, a branch holding only the bootstrap commit is completed,
 * and a branch with its own dual-lane history is never overwritten. The ref
 * only moves fast-forward.
 */
export async function pushInitialContent(
  client: GithubClient,
  request: PushRequest,
  logger: LoggerService,
): Promise<PushResult> {
  const { owner, repo } = request.target;
  const name = `${owner}/${repo}`;
  let head = await readHead(client, request.target, request.branch);
  if (head === 'missing') {
    throw new ConflictError(
      `${name} has commits but no branch '${request.branch}'; ask for its existing default branch instead`,
    );
  }
  if (head === 'empty') {
    logger.info(
      `${name} is empty; creating its first commit through the Contents API`,
    );
    head = await bootstrap(client, request);
  }
  if (head.treeSha === request.treeSha) {
    logger.info(
      `${request.branch} of ${name} already holds the content (tree ${head.treeSha})`,
    );
    return { commitSha: head.commitSha, pushed: false };
  }
  if (head.parents !== 0 || head.message !== BOOTSTRAP_MESSAGE) {
    const missing = await hasMarkerFiles(client, request.target, head.treeSha);
    if (missing.length) {
      throw new ConflictError(
        `${name} carries the dual-lane topic but ${
          request.branch
        } has no ${missing.join(' or ')}; refusing to push over its history`,
      );
    }
    logger.info(
      `${request.branch} of ${name} already has its own dual-lane history; the template content was not pushed over it`,
    );
    return { commitSha: head.commitSha, pushed: false };
  }
  const treeSha = await createTree(client, request);
  const { data: commit } = await client.rest.git
    .createCommit({
      owner,
      repo,
      message: request.commitMessage,
      tree: treeSha,
      parents: [head.commitSha],
      ...(request.author && {
        author: request.author,
        committer: request.author,
      }),
    })
    .catch(e => {
      throw new GithubStepError(`Creating the content commit of ${name}`, e);
    });
  await client.rest.git
    .updateRef({
      owner,
      repo,
      ref: `heads/${request.branch}`,
      sha: commit.sha,
      force: false,
    })
    .catch(e => {
      throw new GithubStepError(
        `Moving ${request.branch} of ${name} to ${commit.sha}`,
        e,
      );
    });
  logger.info(
    `Pushed ${request.files.length} files to ${request.branch} of ${name} as ${commit.sha}`,
  );
  return { commitSha: commit.sha, pushed: true };
}
