import { isMap, isScalar, parseDocument } from 'yaml';

/** A job of a workflow, by id and the check-run name GitHub reports. */
export interface WorkflowJob {
  id: string;
  /** `name:` of the job, or its id; what branch protection must require. */
  checkName: string;
}

export interface WorkflowCheck {
  errors: string[];
  name?: string;
  jobs: WorkflowJob[];
}

const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const TOP_KEYS = new Set([
  'name',
  'run-name',
  'on',
  'permissions',
  'env',
  'defaults',
  'concurrency',
  'jobs',
]);
const JOB_KEYS = new Set([
  'name',
  'permissions',
  'needs',
  'if',
  'runs-on',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'uses',
  'with',
  'secrets',
  'snapshot',
]);
const STEP_KEYS = new Set([
  'id',
  'if',
  'name',
  'uses',
  'run',
  'shell',
  'with',
  'env',
  'continue-on-error',
  'timeout-minutes',
  'working-directory',
]);
// https://docs.github.com/actions/reference/workflows-and-actions/events-that-trigger-workflows
const EVENTS = new Set([
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'image_version',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'schedule',
  'status',
  'watch',
  'workflow_call',
  'workflow_dispatch',
  'workflow_run',
]);
const PERMISSION_SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `${{` must close with `}}` before the next one opens. */
export function unbalancedExpressions(text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    let at = line.indexOf('${{');
    while (at !== -1) {
      const close = line.indexOf('}}', at + 3);
      const nextOpen = line.indexOf('${{', at + 3);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        problems.push(`line ${index + 1}: '\${{' without a closing '}}'`);
        break;
      }
      at = line.indexOf('${{', close + 2);
    }
  });
  return problems;
}

function checkPermissions(value: unknown, where: string, errors: string[]) {
  if (value === undefined) return;
  if (
    value === 'read-all' ||
    value === 'write-all' ||
    (isObject(value) && !Object.keys(value).length)
  )
    return;
  if (!isObject(value)) {
    errors.push(
      `${where}: permissions must be read-all, write-all or a map of scopes`,
    );
    return;
  }
  for (const [scope, level] of Object.entries(value)) {
    if (!PERMISSION_SCOPES.has(scope))
      errors.push(`${where}: unknown permission scope '${scope}'`);
    if (!['read', 'write', 'none'].includes(String(level))) {
      errors.push(
        `${where}: permission '${scope}' must be read, write or none`,
      );
    }
  }
}

function checkOn(on: unknown, errors: string[]) {
  let events: unknown[] | undefined;
  if (typeof on === 'string') events = [on];
  else if (Array.isArray(on)) events = on;
  else if (isObject(on)) events = Object.keys(on);
  if (!events || events.length === 0) {
    errors.push("'on' must name at least one event");
    return;
  }
  for (const event of events) {
    if (typeof event !== 'string' || !EVENTS.has(event))
      errors.push(`'on': unknown event '${event}'`);
  }
  if (isObject(on) && on.schedule !== undefined) {
    const schedule = on.schedule;
    if (!Array.isArray(schedule) || schedule.length === 0) {
      errors.push("'on.schedule' must be a list of { cron }");
    } else {
      for (const entry of schedule) {
        const cron = isObject(entry) ? entry.cron : undefined;
        if (typeof cron !== 'string' || cron.trim().split(/\s+/).length !== 5) {
          errors.push(
            `'on.schedule': '${String(
              cron,
            )}' is not a five-field cron expression`,
          );
        }
      }
    }
  }
}

function checkStep(
  step: unknown,
  where: string,
  errors: string[],
  ids: Set<string>,
) {
  if (!isObject(step)) {
    errors.push(`${where}: a step must be a map`);
    return;
  }
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.has(key)) errors.push(`${where}: unknown key '${key}'`);
  }
  const hasUses = typeof step.uses === 'string' && step.uses.length > 0;
  const hasRun = typeof step.run === 'string' && step.run.length > 0;
  if (hasUses === hasRun)
    errors.push(`${where}: a step needs exactly one of 'uses' or 'run'`);
  if (
    hasUses &&
    !/^(docker:\/\/.+|\.\/.+|[^/\s@]+\/[^\s@]+@[^\s@]+)$/.test(
      step.uses as string,
    )
  ) {
    errors.push(
      `${where}: 'uses: ${step.uses}' must be owner/repo@ref, ./path or docker://image`,
    );
  }
  if (step.with !== undefined && !isObject(step.with))
    errors.push(`${where}: 'with' must be a map`);
  if (step.env !== undefined && !isObject(step.env))
    errors.push(`${where}: 'env' must be a map`);
  if (step.id !== undefined) {
    const id = String(step.id);
    if (!JOB_ID.test(id))
      errors.push(`${where}: step id '${id}' is not a valid identifier`);
    if (ids.has(id)) errors.push(`${where}: step id '${id}' is used twice`);
    ids.add(id);
  }
}

function checkJob(
  id: string,
  job: unknown,
  jobIds: Set<string>,
  errors: string[],
): WorkflowJob | undefined {
  const where = `jobs.${id}`;
  if (!JOB_ID.test(id))
    errors.push(`${where}: job id must match ^[A-Za-z_][A-Za-z0-9_-]*$`);
  if (!isObject(job)) {
    errors.push(`${where}: a job must be a map`);
    return undefined;
  }
  for (const key of Object.keys(job)) {
    if (!JOB_KEYS.has(key)) errors.push(`${where}: unknown key '${key}'`);
  }
  if (job.uses !== undefined) {
    if (job.steps !== undefined || job['runs-on'] !== undefined) {
      errors.push(
        `${where}: a job calling a reusable workflow has neither 'runs-on' nor 'steps'`,
      );
    }
  } else {
    if (job['runs-on'] === undefined)
      errors.push(`${where}: missing 'runs-on'`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      errors.push(`${where}: 'steps' must be a non-empty list`);
    } else {
      const ids = new Set<string>();
      job.steps.forEach((step, index) =>
        checkStep(step, `${where}.steps[${index}]`, errors, ids),
      );
    }
  }
  let needs: unknown[] = [];
  if (Array.isArray(job.needs)) needs = job.needs;
  else if (job.needs !== undefined) needs = [job.needs];
  for (const need of needs) {
    if (!jobIds.has(String(need)) || need === id)
      errors.push(`${where}: needs unknown job '${need}'`);
  }
  checkPermissions(job.permissions, where, errors);
  if (job.name !== undefined && typeof job.name !== 'string')
    errors.push(`${where}: 'name' must be a string`);
  return { id, checkName: typeof job.name === 'string' ? job.name : id };
}

/**
 * Checks a workflow file against the rules GitHub Actions enforces when it
 * loads a workflow: valid YAML without duplicate keys, known top-level keys,
 * known events, jobs with valid ids, `runs-on` and steps with exactly one of
 * `uses`/`run`, `needs` naming existing jobs, and balanced `${{ }}`.
 */
export function checkWorkflow(text: string): WorkflowCheck {
  const errors: string[] = [];
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    return { errors: doc.errors.map(e => `YAML: ${e.message}`), jobs: [] };
  }
  errors.push(...unbalancedExpressions(text));
  if (!isMap(doc.contents)) {
    return { errors: [...errors, 'a workflow must be a map'], jobs: [] };
  }
  for (const item of doc.contents.items) {
    const key = isScalar(item.key) ? item.key.value : undefined;
    if (typeof key !== 'string' || !TOP_KEYS.has(key))
      errors.push(`unknown top-level key '${String(key)}'`);
  }
  const value = doc.toJS() as Record<string, unknown>;
  if (!('on' in value)) errors.push("missing 'on'");
  else checkOn(value.on, errors);
  checkPermissions(value.permissions, 'workflow', errors);
  const jobs: WorkflowJob[] = [];
  const jobsNode = doc.get('jobs');
  if (!isMap(jobsNode) || jobsNode.items.length === 0) {
    errors.push("'jobs' must be a non-empty map");
  } else {
    const rawJobs = value.jobs as Record<string, unknown>;
    const jobIds = new Set(Object.keys(rawJobs));
    for (const [id, job] of Object.entries(rawJobs)) {
      const checked = checkJob(id, job, jobIds, errors);
      if (checked) jobs.push(checked);
    }
  }
  return {
    errors,
    name: typeof value.name === 'string' ? value.name : undefined,
    jobs,
  };
}
