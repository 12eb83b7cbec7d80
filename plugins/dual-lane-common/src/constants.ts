/** The catalog annotation that makes an entity take part in dual-lane. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** Prefix of the plugin's own catalog annotations. */
export const DUAL_LANE_ANNOTATION_PREFIX = 'dual-lane/';

/** The seed's four required status checks, in the order the seed lists them. */
export const DEFAULT_REQUIRED_CHECKS: readonly string[] = [
  'LEO Gate Validation / Run Gate 3 for PRD-*',
  'Story Release Gate Check / Check Story Release Gate',
  'SLSA Verification / Verify SLSA Provenance',
  'Policy Verification / Validate Policy Bundle',
];

/** Markers the lanes leave in commit messages; `<slug>` follows the colon. */
export const DEFAULT_LANE_MARKERS = {
  ready: 'CODEX-READY',
  applied: 'CLAUDE-APPLIED',
} as const;

/** Branch prefixes of the builder (staging) and enforcer (feature) lanes. */
export const DEFAULT_BRANCH_PREFIXES = {
  staging: 'staging/',
  feature: 'feature/',
} as const;

/** The four negative tests the seed requires a gate to block. */
export const NEGATIVE_TESTS = [
  'unsigned-image',
  'non-digest-image',
  'provenance-replay',
  'policy-tampering',
] as const;

/** @public */
export type NegativeTestName = (typeof NEGATIVE_TESTS)[number];
