import {
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { DEFAULT_BRANCH_PREFIXES } from '@dual-lane/plugin-dual-lane-common';
import {
  ProtectionRules,
  protectionRulesFor,
  readScaffolderSettings,
  ScaffolderSettings,
} from './config/readScaffolderConfig';
import { treeSha } from './content/gitObjects';
import {
  checkDualLaneContent,
  readContentFiles,
} from './content/initialContent';
import { branchHead, ensureBranch } from './github/branches';
import { pushInitialContent, PushResult } from './github/contentPush';
import {
  createGithubClient,
  GithubClient,
  GithubClientOptions,
  resolveGithubToken,
} from './github/githubClient';
import { ensureLabels, labelDifference, listLabels } from './github/labels';
import {
  applyProtection,
  BranchRetry,
  planProtection,
  protectionDifferences,
  ProtectionTarget,
} from './github/protection';
import {
  RepoTarget,
  resolveRepoTarget,
  validateBranchName,
  validateLaneSlug,
} from './github/repoNaming';
import {
  ensureRepository,
  ensureSettings,
  ensureTopic,
  getRepository,
  RepositoryFacts,
  RepositoryRequest,
  Visibility,
} from './github/repositories';

/** What the template asks for; the action's validated input. */
export interface DualLaneRepoRequest {
  repoUrl: string;
  description?: string;
  visibility: Visibility;
  defaultBranch: string;
  sourcePath?: string;
  catalogInfoPath: string;
  entityOwner?: string;
  stagingSlug?: string;
  token?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
}

export interface DualLaneRepoResult {
  remoteUrl: string;
  repoContentsUrl: string;
  catalogInfoPath: string;
  ownerEntityRef: string;
  created: boolean;
  commitHash?: string;
  stagingBranch?: string;
}

/** The parts of the scaffolder's action context the creator uses. */
export interface RunContext {
  workspacePath: string;
  logger: LoggerService;
  isDryRun?: boolean;
  signal?: AbortSignal;
  checkpoint<T>(opts: { key: string; fn: () => Promise<T> | T }): Promise<T>;
}

export interface DualLaneRepositoryCreatorOptions {
  config: Config;
  integrations: ScmIntegrationRegistry;
  /** For tests: client overrides (throttling) and the branch-visibility wait. */
  clientOptions?: GithubClientOptions;
  branchRetry?: BranchRetry;
}

/**
 * Creates (or converges) a dual-lane repository: repository, topic, initial
 * content, settings, lane labels, first staging branch and protection, then
 * reads it all back and fails on any difference. Every step checks the
 * current state first, so a second run or a resumed task changes nothing
 * that is already right.
 */
export class DualLaneRepositoryCreator {
  constructor(private readonly options: DualLaneRepositoryCreatorOptions) {}

  async run(
    request: DualLaneRepoRequest,
    ctx: RunContext,
  ): Promise<DualLaneRepoResult> {
    const settings = readScaffolderSettings(this.options.config);
    const target = resolveRepoTarget(
      request.repoUrl,
      this.options.integrations,
      settings.allowedOwners,
    );
    validateBranchName(request.defaultBranch, 'default branch name');
    const stagingBranch = request.stagingSlug
      ? `${DEFAULT_BRANCH_PREFIXES.staging}${request.stagingSlug}`
      : undefined;
    if (request.stagingSlug) validateLaneSlug(request.stagingSlug);
    if (stagingBranch === request.defaultBranch) {
      throw new ConflictError(
        `The staging branch cannot be the default branch`,
      );
    }

    const sourceDir = request.sourcePath
      ? resolveSafeChildPath(ctx.workspacePath, request.sourcePath)
      : ctx.workspacePath;
    const rules = protectionRulesFor(settings, target.host);
    const files = await readContentFiles(sourceDir);
    const facts = checkDualLaneContent(files, {
      owner: target.owner,
      repo: target.repo,
      catalogInfoPath: request.catalogInfoPath,
      requiredChecks: rules.requiredChecks,
      actionsAppId: settings.actionsAppIds.get(target.host.toLowerCase()),
      entityOwner: request.entityOwner,
    });
    const tree = treeSha(files);
    const credentials = request.token ? 'user' : 'integration';
    const repoRequest: RepositoryRequest = {
      target,
      description: request.description,
      visibility: request.visibility,
      defaultBranch: request.defaultBranch,
      topic: settings.repositoryTopic,
      credentials,
      adoption: settings.adoption,
    };
    const webUrl = `https://${target.host}/${target.owner}/${target.repo}`;
    const result: DualLaneRepoResult = {
      remoteUrl: `${webUrl}.git`,
      repoContentsUrl: `${webUrl}/blob/${request.defaultBranch}`,
      catalogInfoPath: `/${request.catalogInfoPath.replace(/^\/+/, '')}`,
      ownerEntityRef: facts.ownerEntityRef,
      created: false,
      stagingBranch,
    };

    const plan = describePlan(
      target,
      request,
      settings,
      rules,
      files.length,
      files.filter(f => f.mode === '100755').length,
      tree,
      stagingBranch,
    );
    if (!settings.allowedOwners && credentials === 'integration') {
      // Deny by default: otherwise anyone allowed to run the template could
      // use the integration's reach into every organisation it is installed in.
      const refusal = `dualLane.scaffolder.allowedOwners is not configured, so the integration's credentials may not create repositories in '${target.owner}'; list the owners templates may create repositories in, or pass the user's own GitHub token`;
      if (!ctx.isDryRun) throw new NotAllowedError(refusal);
      ctx.logger.warn(`The real run would be refused: ${refusal}`);
    }
    if (ctx.isDryRun) {
      ctx.logger.info(
        `Dry run: no GitHub request is made. The action would:\n${plan
          .map((s, i) => `${i + 1}. ${s}`)
          .join('\n')}`,
      );
      return result;
    }
    ctx.logger.info(
      `Plan:\n${plan.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
    );

    const token = await resolveGithubToken({
      integrations: this.options.integrations,
      target,
      inputToken: request.token,
    });
    const client = createGithubClient({
      token,
      baseUrl: target.apiBaseUrl,
      logger: ctx.logger,
      overrides: this.options.clientOptions,
      signal: ctx.signal,
    });
    const name = `${target.owner}/${target.repo}`;

    const repo = await ctx.checkpoint<RepositoryFacts>({
      key: `dual-lane.repository.${name}`,
      fn: () => ensureRepository(client, repoRequest, ctx.logger),
    });
    result.created = repo.created;
    result.remoteUrl = repo.cloneUrl;
    result.repoContentsUrl = `${repo.htmlUrl}/blob/${request.defaultBranch}`;
    // Checkpoints written before `adopted` existed: anything not created
    // by this task is treated as adopted (the cautious side).
    const adopted = repo.adopted ?? !repo.created;
    // An adopted repository keeps its description.
    const settingsRequest: RepositoryRequest = adopted
      ? { ...repoRequest, description: undefined }
      : repoRequest;
    // An adopted repository's protection is read and merged before
    // anything is written, so a conflict leaves the repository untouched.
    const adoptedPlan = adopted
      ? await planProtection(client, target, request.defaultBranch, rules, true)
      : undefined;
    await ensureTopic(client, repoRequest, repo);

    const push = await ctx.checkpoint<PushResult>({
      key: `dual-lane.content.${name}.${request.defaultBranch}.${tree}`,
      fn: () =>
        pushInitialContent(
          client,
          {
            target,
            branch: request.defaultBranch,
            files,
            treeSha: tree,
            commitMessage:
              request.gitCommitMessage ?? this.defaultCommitMessage(),
            author: this.author(request),
          },
          ctx.logger,
        ),
    });
    result.commitHash = push.commitSha;

    await ensureSettings(client, settingsRequest);
    await ensureLabels(client, target, settings.labels, ctx.logger);
    if (stagingBranch) {
      const outcome = await ensureBranch(
        client,
        target,
        stagingBranch,
        push.commitSha,
      );
      ctx.logger.info(
        `Branch ${stagingBranch} ${
          outcome === 'created' ? 'created' : 'already exists; left as it is'
        }`,
      );
    }
    const protection = await applyProtection(
      client,
      target,
      request.defaultBranch,
      adoptedPlan ??
        (await planProtection(
          client,
          target,
          request.defaultBranch,
          rules,
          false,
        )),
      { logger: ctx.logger, retry: this.options.branchRetry },
    );

    const problems = await this.differences(
      client,
      target,
      settingsRequest,
      settings,
      stagingBranch,
      protection,
    );
    if (problems.length) {
      throw new ConflictError(
        `${name} was set up but reading it back shows it differs from what was asked, so the task fails:\n- ${problems.join(
          '\n- ',
        )}`,
      );
    }
    ctx.logger.info(
      `Verified ${name}: settings, labels, ${
        stagingBranch ? 'staging branch, ' : ''
      }and protection match`,
    );
    return result;
  }

  /** The fail-closed read-back: every difference from what was asked. */
  private async differences(
    client: GithubClient,
    target: RepoTarget,
    request: RepositoryRequest,
    settings: ScaffolderSettings,
    stagingBranch: string | undefined,
    protection: ProtectionTarget,
  ): Promise<string[]> {
    const problems: string[] = [];
    const repo = await getRepository(client, target);
    if (!repo) return ['the repository cannot be read'];
    const visibility = repo.visibility ?? (repo.private ? 'private' : 'public');
    if (visibility !== request.visibility)
      problems.push(
        `visibility is '${visibility}' instead of '${request.visibility}'`,
      );
    if (repo.default_branch !== request.defaultBranch) {
      problems.push(
        `default branch is '${repo.default_branch}' instead of '${request.defaultBranch}'`,
      );
    }
    if (
      request.description !== undefined &&
      (repo.description ?? '') !== request.description
    ) {
      problems.push(
        `description is '${repo.description ?? ''}' instead of '${
          request.description
        }'`,
      );
    }
    if (!(repo.topics ?? []).includes(request.topic))
      problems.push(`topic '${request.topic}' is missing`);
    if (!(await branchHead(client, target, request.defaultBranch))) {
      problems.push(`branch ${request.defaultBranch} does not exist`);
    }
    if (stagingBranch && !(await branchHead(client, target, stagingBranch))) {
      problems.push(`branch ${stagingBranch} does not exist`);
    }
    const labels = await listLabels(client, target);
    for (const wanted of settings.labels) {
      const found = labels.find(
        l => l.name.toLowerCase() === wanted.name.toLowerCase(),
      );
      const difference = labelDifference(wanted, found);
      if (difference) problems.push(difference);
    }
    problems.push(
      ...(await protectionDifferences(
        client,
        target,
        request.defaultBranch,
        protection,
      )),
    );
    return problems;
  }

  private defaultCommitMessage() {
    return (
      this.options.config.getOptionalString(
        'scaffolder.defaultCommitMessage',
      ) ?? 'Initial dual-lane repository'
    );
  }

  private author(request: DualLaneRepoRequest) {
    const name =
      request.gitAuthorName ??
      this.options.config.getOptionalString('scaffolder.defaultAuthor.name');
    const email =
      request.gitAuthorEmail ??
      this.options.config.getOptionalString('scaffolder.defaultAuthor.email');
    return name && email ? { name, email } : undefined;
  }
}

function describePlan(
  target: RepoTarget,
  request: DualLaneRepoRequest,
  settings: ScaffolderSettings,
  rules: ProtectionRules,
  fileCount: number,
  executableCount: number,
  tree: string,
  stagingBranch: string | undefined,
): string[] {
  const name = `${target.owner}/${target.repo}`;
  const checks = rules.requiredChecks
    .map(
      c =>
        `'${c.context}'${
          c.appId !== undefined ? ` from app ${c.appSlug ?? c.appId}` : ''
        }`,
    )
    .join(', ');
  return [
    `create the ${request.visibility} repository ${name} on ${target.host} (or use it if it is empty; adopt it if it is already a dual-lane repository, which needs the user's token and only adds to its protection)`,
    `add the topic '${settings.repositoryTopic}'`,
    `push ${fileCount} files (${executableCount} executable, tree ${tree}) to ${request.defaultBranch} as one commit, unless the branch already holds them`,
    `make ${request.defaultBranch} the default branch${
      request.description !== undefined ? ' and set the description' : ''
    }`,
    `create or correct the labels ${settings.labels
      .map(l => `'${l.name}'`)
      .join(', ')}`,
    ...(stagingBranch
      ? [`create the branch ${stagingBranch} at the initial commit`]
      : []),
    `protect ${request.defaultBranch} with ${
      rules.mode === 'ruleset'
        ? `the ruleset '${rules.rulesetName}'`
        : 'branch protection'
    }: required checks ${checks}${
      rules.requireBranchesUpToDate ? ' (branches up to date)' : ''
    }; ${rules.requiredApprovingReviewCount} approving review(s)${
      rules.dismissStaleReviews ? ', stale reviews dismissed' : ''
    }; no force pushes or deletions${
      rules.enforceAdmins ? ', admins included' : ''
    }`,
    'read the settings, labels, branches and protection back and fail on any difference',
  ];
}
