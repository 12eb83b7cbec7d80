import { LoggerService } from '@backstage/backend-plugin-api';
import { LaneLabelDefinition } from '@dual-lane/plugin-dual-lane-common';
import { GithubClient } from './githubClient';
import { GithubStepError, isAlreadyExists } from './githubErrors';
import { RepoTarget } from './repoNaming';

interface LabelData {
  name: string;
  color: string;
  description: string | null;
}

export async function listLabels(
  client: GithubClient,
  target: RepoTarget,
): Promise<LabelData[]> {
  try {
    return (await client.paginate(client.rest.issues.listLabelsForRepo, {
      owner: target.owner,
      repo: target.repo,
      per_page: 100,
    })) as LabelData[];
  } catch (e) {
    throw new GithubStepError(
      `Listing the labels of ${target.owner}/${target.repo}`,
      e,
    );
  }
}

function sameName(a: string, b: string) {
  // GitHub label names are unique regardless of case.
  return a.toLowerCase() === b.toLowerCase();
}

/** Why a label on GitHub differs from its definition, or undefined. */
export function labelDifference(
  wanted: LaneLabelDefinition,
  found: LabelData | undefined,
): string | undefined {
  if (!found) return `label '${wanted.name}' is missing`;
  const problems = [];
  if (found.name !== wanted.name) problems.push(`named '${found.name}'`);
  if (found.color.toLowerCase() !== wanted.color.toLowerCase())
    problems.push(`colour ${found.color} instead of ${wanted.color}`);
  if ((found.description ?? '') !== wanted.description)
    problems.push(`description '${found.description ?? ''}'`);
  return problems.length
    ? `label '${wanted.name}' has ${problems.join(', ')}`
    : undefined;
}

/**
 * Creates or corrects the lane state labels. Other labels in the repository
 * are left alone; a label whose name differs only in case is renamed.
 */
export async function ensureLabels(
  client: GithubClient,
  target: RepoTarget,
  labels: LaneLabelDefinition[],
  logger: LoggerService,
) {
  const { owner, repo } = target;
  const existing = await listLabels(client, target);
  for (const wanted of labels) {
    const found = existing.find(l => sameName(l.name, wanted.name));
    if (!labelDifference(wanted, found)) continue;
    try {
      if (!found) {
        await client.rest.issues.createLabel({
          owner,
          repo,
          name: wanted.name,
          color: wanted.color,
          description: wanted.description,
        });
        logger.info(`Created label '${wanted.name}'`);
        continue;
      }
    } catch (e) {
      if (!isAlreadyExists(e))
        throw new GithubStepError(`Creating label '${wanted.name}'`, e);
    }
    await client.rest.issues
      .updateLabel({
        owner,
        repo,
        name: found?.name ?? wanted.name,
        new_name: wanted.name,
        color: wanted.color,
        description: wanted.description,
      })
      .catch(e => {
        throw new GithubStepError(`Updating label '${wanted.name}'`, e);
      });
    logger.info(`Updated label '${wanted.name}'`);
  }
}
