import { LaneEventKind } from '../types';
import {
  DEFAULT_LANE_CONVENTIONS,
  escapeRegExp,
  LaneBranchPrefixes,
  LaneMarkers,
} from './conventions';

/** A lane marker found in a commit message. */
export interface ParsedLaneMarker {
  kind: LaneEventKind;
  slug: string;
}

/** Slugs are branch-name safe: letters, digits, `.`, `_`, `-` and `/`. */
const SLUG = '[A-Za-z0-9][A-Za-z0-9._/-]*';

/**
 * Finds `[<ready>:<slug>]` and `[<applied>:<slug>]` markers in a commit
 * message (markers are matched case-insensitively, slugs kept as written).
 * A message may carry several; each (kind, slug) is returned once, in the
 * order they appear.
 */
export function parseLaneMarkers(
  message: string,
  markers: LaneMarkers = DEFAULT_LANE_CONVENTIONS.markers,
): ParsedLaneMarker[] {
  const kinds: Array<[string, LaneEventKind]> = [
    [markers.ready, 'codex-ready'],
    [markers.applied, 'claude-applied'],
  ];
  const pattern = new RegExp(
    `\\[(${kinds.map(([m]) => escapeRegExp(m)).join('|')})\\s*:\\s*(${SLUG})\\s*\\]`,
    'gi',
  );
  const found: ParsedLaneMarker[] = [];
  const seen = new Set<string>();
  for (const match of message.matchAll(pattern)) {
    const kind = kinds.find(
      ([m]) => m.toLowerCase() === match[1].toLowerCase(),
    )?.[1];
    if (!kind) continue;
    const key = `${kind}:${match[2]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ kind, slug: match[2] });
  }
  return found;
}

/** Which lane a branch belongs to, and its slug. */
export interface LaneBranch {
  lane: 'staging' | 'feature';
  slug: string;
}

/**
 * `feature/<slug>` → the enforcer lane, `staging/<slug>` → the builder
 * lane; any other branch is not a lane branch.
 */
export function laneBranchOf(
  ref: string,
  prefixes: LaneBranchPrefixes = DEFAULT_LANE_CONVENTIONS.branchPrefixes,
): LaneBranch | undefined {
  const branch = ref.replace(/^refs\/heads\//, '');
  for (const lane of ['feature', 'staging'] as const) {
    const prefix = prefixes[lane];
    if (branch.startsWith(prefix) && branch.length > prefix.length) {
      return { lane, slug: branch.slice(prefix.length) };
    }
  }
  return undefined;
}

/**
 * The branch a marker belongs to by convention: `staging/<slug>` for the
 * builder's marker, `feature/<slug>` for the enforcer's. Stored with each
 * lane event, so the same commit seen on several branches (the feature
 * branch is usually cut from the staging branch) is recorded the same way
 * by every path.
 */
export function laneBranchOfMarker(
  marker: ParsedLaneMarker,
  prefixes: LaneBranchPrefixes = DEFAULT_LANE_CONVENTIONS.branchPrefixes,
): string {
  return `${
    marker.kind === 'codex-ready' ? prefixes.staging : prefixes.feature
  }${marker.slug}`;
}
