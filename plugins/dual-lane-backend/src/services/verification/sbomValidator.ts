import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  SbomSummary,
  VerificationOutcome,
} from '@dual-lane/plugin-dual-lane-common';

/*
 * CycloneDX 1.5 JSON, validated with the official schema as
 * @cyclonedx/cyclonedx-library ships it. Its 45 `uniqueItems` constraints
 * are compared pairwise (13 s at 10,000 components), so they are dropped and
 * the one that matters, `bom-ref` uniqueness, is checked here in one pass.
 */

const SCHEMA_BASE = 'http://cyclonedx.org/schema/';

function withoutUniqueItems(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutUniqueItems);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'uniqueItems') out[k] = withoutUniqueItems(v);
    }
    return out;
  }
  return value;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) {
    return compiled;
  }
  const load = (file: string) =>
    withoutUniqueItems(
      JSON.parse(
        fs.readFileSync(
          resolvePackagePath(
            '@cyclonedx/cyclonedx-library',
            'res/schema',
            file,
          ),
          'utf8',
        ),
      ),
    ) as Record<string, unknown>;
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    validateFormats: true,
  });
  addFormats(ajv);
  // Formats of the schema that ajv-formats lacks (draft 2019 names).
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/);
  for (const file of [
    'spdx.SNAPSHOT.schema.json',
    'jsf-0.82.SNAPSHOT.schema.json',
  ]) {
    ajv.addSchema({ ...load(file), $id: `${SCHEMA_BASE}${file}` });
  }
  compiled = ajv.compile({
    ...load('bom-1.5.SNAPSHOT.schema.json'),
    $id: `${SCHEMA_BASE}bom-1.5.SNAPSHOT.schema.json`,
  });
  return compiled;
}

export interface SbomResult {
  outcome: VerificationOutcome;
  reason?: string;
  summary?: SbomSummary;
}

type Component = {
  'bom-ref'?: string;
  purl?: string;
  licenses?: Array<{
    license?: { id?: string; name?: string };
    expression?: string;
  }>;
  hashes?: Array<{ alg: string }>;
  components?: Component[];
};

function* walk(components: Component[] | undefined): Generator<Component> {
  for (const c of components ?? []) {
    yield c;
    yield* walk(c.components);
  }
}

/**
 * How deeply an SBOM's JSON may nest (objects and arrays). CycloneDX lets
 * components nest recursively and the schema validator recurses with them:
 * 1,000 levels (48 KB) overflow the stack. 64 leaves room for ~30 levels of
 * nested components, far more than real SBOMs use.
 */
export const MAX_SBOM_DEPTH = 64;

/** The JSON pointer of the first value nested deeper than `limit`, found without recursion. */
function tooDeep(value: unknown, limit: number): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '' },
  ];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > limit) {
      return item.path || '/';
    }
    const entries = Array.isArray(item.value)
      ? item.value.map((v, i) => [String(i), v] as const)
      : Object.entries(item.value);
    for (const [key, child] of entries) {
      stack.push({ value: child, depth, path: `${item.path}/${key}` });
    }
  }
  return undefined;
}

function shortPointer(pointer: string): string {
  return pointer.length > 120 ? `${pointer.slice(0, 120)}…` : pointer;
}

/**
 * Validates and summarises a CycloneDX 1.5 SBOM; a bad one is a failure
 * with its reason. Never throws: whatever the SBOM holds, the outcome is
 * recorded.
 */
export function validateSbom(data: Buffer | undefined): SbomResult {
  try {
    return checkSbom(data);
  } catch (error) {
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json could not be validated: ${
        (error as Error).name
      }: ${(error as Error).message}`,
    };
  }
}

function checkSbom(data: Buffer | undefined): SbomResult {
  if (!data) {
    return {
      outcome: 'failed',
      reason: 'no sbom.cdx.json in the artifact bundle',
    };
  }
  let bom: any;
  try {
    bom = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json is not JSON: ${(error as Error).message}`,
    };
  }
  if (bom?.bomFormat !== 'CycloneDX') {
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json bomFormat is '${bom?.bomFormat}', not CycloneDX`,
    };
  }
  if (bom.specVersion !== '1.5') {
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json is CycloneDX ${bom.specVersion}, not 1.5`,
    };
  }
  const deep = tooDeep(bom, MAX_SBOM_DEPTH);
  if (deep) {
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json nests deeper than ${MAX_SBOM_DEPTH} levels at ${shortPointer(
        deep,
      )}`,
    };
  }
  const validate = validator();
  const valid: boolean = validate(bom);
  if (!valid) {
    const first = validate.errors?.[0];
    return {
      outcome: 'failed',
      reason: `sbom.cdx.json is not valid CycloneDX 1.5: ${
        first?.instancePath || '/'
      } ${first?.message ?? 'invalid'}${
        first?.params && Object.keys(first.params).length
          ? ` ${JSON.stringify(first.params)}`
          : ''
      }`,
    };
  }

  const refs = new Set<string>();
  const all = [
    ...walk(bom.metadata?.component ? [bom.metadata.component] : []),
    ...walk(bom.components),
  ];
  for (const c of [...walk(bom.services), ...all]) {
    const ref = c['bom-ref'];
    if (ref !== undefined) {
      if (refs.has(ref)) {
        return {
          outcome: 'failed',
          reason: `sbom.cdx.json repeats bom-ref '${ref}'`,
        };
      }
      refs.add(ref);
    }
  }
  for (const d of bom.dependencies ?? []) {
    for (const ref of [d.ref, ...(d.dependsOn ?? [])]) {
      if (!refs.has(ref)) {
        return {
          outcome: 'failed',
          reason: `sbom.cdx.json dependency graph names unknown bom-ref '${ref}'`,
        };
      }
    }
  }

  const components = [...walk(bom.components)];
  const licenses = new Map<string, number>();
  const hashAlgorithms: Record<string, number> = {};
  let withoutLicense = 0;
  let withHashes = 0;
  const purls: string[] = [];
  for (const c of components) {
    const names = (c.licenses ?? [])
      .map(l => l.expression ?? l.license?.id ?? l.license?.name)
      .filter((n): n is string => Boolean(n));
    if (names.length === 0) withoutLicense += 1;
    for (const n of new Set(names)) licenses.set(n, (licenses.get(n) ?? 0) + 1);
    if (c.purl) purls.push(c.purl);
    if (c.hashes?.length) {
      withHashes += 1;
      for (const h of c.hashes)
        hashAlgorithms[h.alg] = (hashAlgorithms[h.alg] ?? 0) + 1;
    }
  }
  const rootRef = bom.metadata?.component?.['bom-ref'];
  const direct =
    (bom.dependencies ?? []).find((d: any) => d.ref === rootRef)?.dependsOn ??
    [];
  return {
    outcome: 'verified',
    summary: {
      specVersion: bom.specVersion,
      serialNumber: bom.serialNumber,
      componentCount: components.length,
      directDependencies: direct,
      licenses: [...licenses.entries()]
        .map(([license, count]) => ({ license, count }))
        .sort(
          (a, b) => b.count - a.count || a.license.localeCompare(b.license),
        ),
      componentsWithoutLicense: withoutLicense,
      purls,
      componentsWithHashes: withHashes,
      hashAlgorithms,
    },
  };
}
