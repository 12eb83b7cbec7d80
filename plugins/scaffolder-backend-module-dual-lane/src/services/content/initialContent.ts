import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@dual-lane/plugin-dual-lane-common';
import { RequiredCheck } from '@dual-lane/plugin-dual-lane-node';
import globby from 'globby';
import { promises as fs } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ContentFile } from './gitObjects';
import { checkWorkflow } from './workflowRules';

/** GitHub refuses files above 100 MiB. */
const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** Files whose presence marks a dual-lane repository. */
export const MARKER_FILES = ['AGENTS.md', 'CLAUDE.md'];

/**
 * Reads the files to push, as `git add .` would: `.gitignore` honoured,
 * `.git` skipped, the executable bit kept as mode 100755 and symbolic links
 * kept as links (mode 120000).
 */
export async function readContentFiles(dir: string): Promise<ContentFile[]> {
  const entries = await globby(['**'], {
    cwd: dir,
    dot: true,
    gitignore: true,
    ignore: ['**/.git/**', '.git'],
    onlyFiles: false,
    followSymbolicLinks: false,
    markDirectories: true,
  });
  const files: ContentFile[] = [];
  for (const path of entries) {
    if (path.endsWith('/')) continue;
    const absolute = resolveSafeChildPath(dir, path);
    const stat = await fs.lstat(absolute);
    if (stat.isSymbolicLink()) {
      files.push({
        path,
        content: await fs.readlink(absolute, { encoding: 'buffer' }),
        mode: '120000',
      });
    } else if (stat.isFile()) {
      if (stat.size > MAX_FILE_BYTES) {
        throw new InputError(
          `${path} is ${stat.size} bytes; GitHub refuses files above 100 MiB`,
        );
      }
      // eslint-disable-next-line no-bitwise
      const executable = (stat.mode & 0o111) !== 0;
      files.push({
        path,
        content: await fs.readFile(absolute),
        mode: executable ? '100755' : '100644',
      });
    }
  }
  return files.sort((a, b) =>
    Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)),
  );
}

export interface ContentExpectations {
  owner: string;
  repo: string;
  catalogInfoPath: string;
  requiredChecks: RequiredCheck[];
  /** GitHub Actions' app id on the target host, when known. */
  actionsAppId?: number;
  /** Entity ref the template says owns the repository, if given. */
  entityOwner?: string;
}

export interface ContentFacts {
  /** The owner entity recorded in catalog-info.yaml, as a full ref. */
  ownerEntityRef: string;
  /** Names of the checks the workflows report. */
  workflowCheckNames: string[];
}

function normalizeOwner(ref: string, namespace: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: namespace }),
  );
}

/**
 * Checks that the content is a dual-lane repository before anything is sent
 * to GitHub: marker files present, every workflow loadable by GitHub
 * Actions, every required gate reported by a workflow job of that name (or
 * pinned to another app), and a catalog-info.yaml pointing at this
 * repository and recording its owner. All problems are listed at once.
 */
export function checkDualLaneContent(
  files: ContentFile[],
  expect: ContentExpectations,
): ContentFacts {
  const problems: string[] = [];
  const byPath = new Map(files.map(f => [f.path, f]));
  if (files.length === 0) {
    throw new InputError(
      'There is no content to push: the workspace (or sourcePath) is empty',
    );
  }
  for (const marker of MARKER_FILES) {
    if (!byPath.has(marker))
      problems.push(`${marker} is missing at the repository root`);
  }

  const workflowCheckNames: string[] = [];
  for (const file of files) {
    if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file.path)) continue;
    const result = checkWorkflow(file.content.toString('utf8'));
    problems.push(...result.errors.map(e => `${file.path}: ${e}`));
    workflowCheckNames.push(...result.jobs.map(j => j.checkName));
  }
  for (const check of expect.requiredChecks) {
    // A check pinned to another app is reported by that app, not by a job.
    // Where Actions' app id on the host is unknown, only the slug can tell.
    const otherApp =
      check.appId !== undefined &&
      check.appId !== expect.actionsAppId &&
      (expect.actionsAppId !== undefined ||
        (check.appSlug !== undefined && check.appSlug !== 'github-actions'));
    // Branch protection compares names literally (no wildcards).
    if (!otherApp && !workflowCheckNames.includes(check.context)) {
      problems.push(
        `the required check '${check.context}' (${
          check.name
        }) is not the name of any workflow job, so branch protection could never be satisfied; name a job '${
          check.context
        }' or pin the check to the app that reports it (dualLane.gates.requiredChecks[].appId${
          expect.actionsAppId === undefined
            ? ` with its appSlug, or dualLane.scaffolder.actionsApps for this host`
            : ''
        })`,
      );
    }
  }

  let ownerEntityRef = '';
  const catalogPath = expect.catalogInfoPath.replace(/^\/+/, '');
  const catalogFile = byPath.get(catalogPath);
  if (!catalogFile) {
    problems.push(`${catalogPath} is missing; catalog:register needs it`);
  } else {
    const slug = `${expect.owner}/${expect.repo}`.toLowerCase();
    const docs = parseAllDocuments(catalogFile.content.toString('utf8'));
    const entities = (Array.isArray(docs) ? docs : [docs]).map(d => {
      if (d.errors.length)
        problems.push(`${catalogPath}: ${d.errors[0].message}`);
      return d.toJS() as any;
    });
    const entity = entities.find(
      e =>
        String(
          e?.metadata?.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION] ?? '',
        ).toLowerCase() === slug,
    );
    if (!entity) {
      problems.push(
        `${catalogPath} has no entity annotated ${GITHUB_PROJECT_SLUG_ANNOTATION}: ${expect.owner}/${expect.repo}`,
      );
    } else if (typeof entity.spec?.owner !== 'string' || !entity.spec.owner) {
      problems.push(
        `${catalogPath}: the entity '${entity.metadata?.name}' has no spec.owner`,
      );
    } else {
      const namespace = entity.metadata?.namespace ?? 'default';
      try {
        ownerEntityRef = normalizeOwner(entity.spec.owner, namespace);
        if (
          expect.entityOwner &&
          normalizeOwner(expect.entityOwner, 'default') !== ownerEntityRef
        ) {
          problems.push(
            `${catalogPath} records the owner ${ownerEntityRef} but the template asked for ${normalizeOwner(
              expect.entityOwner,
              'default',
            )}`,
          );
        }
      } catch (e) {
        problems.push(
          `${catalogPath}: spec.owner is not an entity reference: ${
            (e as Error).message
          }`,
        );
      }
    }
  }
  if (problems.length) {
    throw new InputError(
      `The content is not a valid dual-lane repository:\n- ${problems.join(
        '\n- ',
      )}`,
    );
  }
  return { ownerEntityRef, workflowCheckNames };
}
