import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import Ajv, { ErrorObject } from 'ajv';
import fs from 'node:fs';

/*
 * Backstage itself does not validate `backend.database` at start: a wrong
 * client is reported as "Unsupported database client type ... for plugin
 * 'app'" and a wrong connection makes every plugin retry forever. This
 * checks the block against the schema `@backstage/backend-defaults` ships,
 * before anything connects, and reports each problem with its config key.
 */

function loadDatabaseSchema(): object {
  const file = resolvePackagePath(
    '@backstage/backend-defaults',
    'config.schema.json',
  );
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const database = schema?.properties?.backend?.properties?.database;
  if (!database) {
    throw new Error(`No backend.database schema in ${file}`);
  }
  return database;
}

function keyOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return ['backend', 'database', ...path].join('.');
}

function describe(error: ErrorObject, value: unknown): string {
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(error.params as any).allowedValues.join(', ')}, got '${String(value)}'`;
    case 'type':
      return `must be a ${(error.params as any).type}, got ${JSON.stringify(value)}`;
    case 'anyOf':
      return `has an unsupported shape (${JSON.stringify(value)})`;
    case 'required':
      return `is missing '${(error.params as any).missingProperty}'`;
    default:
      return error.message ?? 'is invalid';
  }
}

function valueAt(root: unknown, instancePath: string): unknown {
  let value: any = root;
  for (const part of instancePath.split('/').filter(Boolean)) {
    value = value?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/**
 * Returns one line per problem in `backend.database`, each starting with
 * the offending key; empty when the block is valid.
 */
export function checkDatabaseConfig(config: Config): string[] {
  if (!config.has('backend.database')) {
    return ['backend.database is missing: set client and connection'];
  }
  const data = config.get('backend.database');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(loadDatabaseSchema());
  if (validate(data)) {
    return [];
  }
  const errors = validate.errors ?? [];
  // An anyOf failure also reports every branch; keep the anyOf summary and
  // errors that are not inside a failed anyOf.
  const anyOfPaths = errors
    .filter(e => e.keyword === 'anyOf')
    .map(e => e.instancePath);
  const relevant = errors.filter(
    e =>
      e.keyword === 'anyOf' ||
      !anyOfPaths.some(
        p => e.instancePath === p || e.instancePath.startsWith(`${p}/`),
      ),
  );
  return [
    ...new Set(
      relevant.map(e => `${keyOf(e)} ${describe(e, valueAt(data, e.instancePath))}`),
    ),
  ];
}
