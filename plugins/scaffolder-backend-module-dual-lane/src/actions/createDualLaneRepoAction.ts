import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DualLaneRepositoryCreator } from '../services/DualLaneRepositoryCreator';
import { GithubClientOptions } from '../services/github/githubClient';
import { BranchRetry } from '../services/github/protection';

export const DUAL_LANE_REPO_CREATE_ACTION_ID = 'dual-lane:repo:create';

const examples = [
  {
    description:
      'Create a private dual-lane repository from the content of the fetch:template step',
    example: `steps:
  - id: fetch
    action: fetch:template
    input:
      url: ./skeleton
      values:
        name: \${{ parameters.name }}
  - id: create
    action: dual-lane:repo:create
    input:
      repoUrl: \${{ parameters.repoUrl }}
      description: Payments service
      visibility: private
      defaultBranch: main
      entityOwner: \${{ parameters.owner }}
      stagingSlug: getting-started
      token: \${{ secrets.USER_OAUTH_TOKEN }}
  - id: register
    action: catalog:register
    input:
      repoContentsUrl: \${{ steps.create.output.repoContentsUrl }}
      catalogInfoPath: \${{ steps.create.output.catalogInfoPath }}`,
  },
];

/**
 * `dual-lane:repo:create`: creates a GitHub repository with the workspace
 * content, the lane labels, a first staging branch and a protected default
 * branch, verifies all of it by reading it back, and is safe to retry.
 */
export function createDualLaneRepoAction(options: {
  config: Config;
  integrations: ScmIntegrationRegistry;
  clientOptions?: GithubClientOptions;
  branchRetry?: BranchRetry;
}) {
  const creator = new DualLaneRepositoryCreator(options);
  return createTemplateAction({
    id: DUAL_LANE_REPO_CREATE_ACTION_ID,
    description:
      'Creates a dual-lane GitHub repository: pushes the workspace content, creates the lane state labels and a first staging/<slug> branch, protects the default branch with the configured gates (pinned to their apps), reviews and no force pushes, then reads everything back and fails on any difference. Idempotent: a retry or a resumed task converges without duplicates.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z.string({
            description:
              "Where to create the repository, in RepoUrlPicker form: 'github.com?owner=<owner>&repo=<name>'",
          }),
        description: z =>
          z
            .string({ description: 'Repository description' })
            .max(350)
            .optional(),
        visibility: z =>
          z
            .enum(['private', 'internal', 'public'], {
              description:
                "Repository visibility; 'internal' needs an organisation on GitHub Enterprise. Default private",
            })
            .default('private'),
        defaultBranch: z =>
          z
            .string({
              description:
                'Default branch, protected with the gates. Default main',
            })
            .default('main'),
        sourcePath: z =>
          z
            .string({
              description:
                'Subdirectory of the workspace to push. Default: the whole workspace',
            })
            .optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'Path of the catalog entity file in the content. Default /catalog-info.yaml',
            })
            .default('/catalog-info.yaml'),
        entityOwner: z =>
          z
            .string({
              description:
                'Entity ref of the owner (e.g. group:default/payments); must match spec.owner in catalog-info.yaml',
            })
            .optional(),
        stagingSlug: z =>
          z
            .string({
              description:
                'Slug of the first builder-lane branch staging/<slug>; omit to create none',
            })
            .optional(),
        token: z =>
          z
            .string({
              description:
                "The user's GitHub token (from RepoUrlPicker requestUserCredentials); overrides integrations.github",
            })
            .optional(),
        gitCommitMessage: z =>
          z
            .string({
              description:
                'Message of the content commit. Default scaffolder.defaultCommitMessage',
            })
            .optional(),
        gitAuthorName: z =>
          z
            .string({ description: 'Author name of the content commit' })
            .optional(),
        gitAuthorEmail: z =>
          z
            .string({ description: 'Author email of the content commit' })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'Clone URL of the repository' }),
        repoContentsUrl: z =>
          z.string({
            description:
              'URL of the default branch contents, for catalog:register',
          }),
        catalogInfoPath: z =>
          z.string({
            description:
              'Path of catalog-info.yaml in the repository, for catalog:register',
          }),
        ownerEntityRef: z =>
          z.string({
            description: 'The owner entity recorded in catalog-info.yaml',
          }),
        created: z =>
          z.boolean({
            description: 'True when this run created the repository',
          }),
        commitHash: z =>
          z
            .string({
              description:
                'Head commit of the default branch (absent in a dry run)',
            })
            .optional(),
        stagingBranch: z =>
          z
            .string({
              description: 'The staging/<slug> branch, when one was asked for',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      // The scaffolder turns the zod schema into JSON schema for validation
      // and docs but never applies its defaults: do it here.
      const visibility = ctx.input.visibility ?? 'private';
      if (!['private', 'internal', 'public'].includes(visibility)) {
        throw new InputError(
          `visibility must be private, internal or public, got '${visibility}'`,
        );
      }
      const input = {
        ...ctx.input,
        visibility,
        defaultBranch: ctx.input.defaultBranch || 'main',
        catalogInfoPath: ctx.input.catalogInfoPath || '/catalog-info.yaml',
        token: ctx.input.token || undefined,
      };
      const result = await creator.run(input, {
        workspacePath: ctx.workspacePath,
        logger: ctx.logger,
        isDryRun: ctx.isDryRun,
        signal: ctx.signal,
        checkpoint: opts => ctx.checkpoint(opts as any) as Promise<any>,
      });
      for (const [key, value] of Object.entries(result)) {
        if (value !== undefined) ctx.output(key as keyof typeof result, value);
      }
    },
  });
}
