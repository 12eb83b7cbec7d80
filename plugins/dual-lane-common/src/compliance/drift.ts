import { GoNoGoCriterionId } from './criteria';

/*
 * The seed's WS5 drift check: AGENTS.md (builder lane) and CLAUDE.md
 * (enforcer lane) must state the same gates and the same thresholds. The
 * parser reads both styles seen in practice: the repository template's
 * Markdown (gate names in backticks, thresholds as bold bullets such as
 * `**≥95% PRs with PLAN verdict ...**`) and the seed's (gate names quoted
 * in a YAML list, thresholds anywhere as `≥N%`).
 */

/** A line of a file, 1-based, as written. */
export interface SourceLine {
  line: number;
  text: string;
}

export interface GateMention extends SourceLine {
  /** `<workflow> / <job>`, whitespace collapsed. */
  name: string;
}

export interface ThresholdMention extends SourceLine {
  /** The go/no-go criterion the line states, or a normalised line text. */
  key: string;
  criterion?: GoNoGoCriterionId;
  value: number;
}

export interface ParsedInstructions {
  gates: GateMention[];
  thresholds: ThresholdMention[];
}

export type DriftDifferenceKind =
  | 'file-missing'
  | 'gate-missing'
  | 'threshold-mismatch'
  | 'threshold-missing';

/** One disagreement, with the lines of each file involved. */
export interface DriftDifference {
  kind: DriftDifferenceKind;
  /** The gate name, criterion id or threshold line the difference is about. */
  subject: string;
  /** `L<n>: <line>` of AGENTS.md, when it has one. */
  agents?: string;
  claude?: string;
  agentsLine?: number;
  claudeLine?: number;
}

const PART = String.raw`[A-Za-z0-9][A-Za-z0-9 ._:#()*+-]{0,100}?`;
const NAME = `${PART}\\s/\\s${PART}`;
const QUOTED = new RegExp(`[\`"“]\\s*(${NAME})\\s*[\`"”]`, 'g');
const YAML_SINGLE = new RegExp(`^\\s*-\\s*'\\s*(${NAME})\\s*'\\s*$`);
const BARE_ITEM = new RegExp(
  `^\\s*(?:[-*+]|\\d+\\.)\\s+(?:\\*\\*)?(${NAME})(?:\\*\\*)?\\s*$`,
);

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const COMPARATOR = String.raw`(?:≥|≤|>=|<=|at least|at most|no more than)`;

/** Criterion recognisers: a line pattern and where its number is. */
const CRITERIA: Array<{ id: GoNoGoCriterionId; pattern: RegExp }> = [
  {
    id: 'rework-cycles',
    pattern: new RegExp(`${NUMBER}\\s*rework\\s+cycles?`, 'i'),
  },
  {
    id: 'negative-tests-blocked',
    pattern: new RegExp(`${NUMBER}\\s*(?:blocked\\s+)?negative\\s+tests?`, 'i'),
  },
  {
    id: 'drift-incidents',
    pattern: new RegExp(`${NUMBER}\\s*drift\\s+incidents?`, 'i'),
  },
  {
    id: 'verdict-coverage',
    pattern: new RegExp(`${NUMBER}\\s*%[^\\n]*\\bverdicts?\\b`, 'i'),
  },
  {
    id: 'label-accuracy',
    pattern: new RegExp(`${NUMBER}\\s*%\\s*(?:of\\s+)?labels?\\s+accura`, 'i'),
  },
  {
    id: 'provenance-verified',
    pattern: new RegExp(`${NUMBER}\\s*%[^\\n]*\\bprovenance\\b`, 'i'),
  },
  {
    id: 'artifacts-signed',
    pattern: new RegExp(
      `${NUMBER}\\s*%[^\\n]*\\bartifacts?\\b[^\\n]*\\bsigned\\b`,
      'i',
    ),
  },
];

const GENERIC = new RegExp(
  `(?:${COMPARATOR}\\s*${NUMBER}\\s*%?|${NUMBER}\\s*%)`,
  'i',
);

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function gateNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(QUOTED)) names.push(collapse(m[1]));
  const single = YAML_SINGLE.exec(text);
  if (single) names.push(collapse(single[1]));
  if (names.length === 0) {
    const bare = BARE_ITEM.exec(text);
    if (bare) names.push(collapse(bare[1]));
  }
  return names;
}

function genericKey(text: string): string {
  return collapse(
    text
      .replace(/^\s*(?:[-*+>|]|\d+\.)\s*/, '')
      .replace(/[*_`|]/g, ' ')
      .replace(/\d+(?:\.\d+)?/g, '#'),
  ).toLowerCase();
}

/** Finds the gate names and thresholds an instructions file states. */
export function parseAgentInstructions(content: string): ParsedInstructions {
  const gates: GateMention[] = [];
  const thresholds: ThresholdMention[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const text = raw.replace(/\s+$/, '');
    const names = gateNames(text);
    for (const name of names) gates.push({ name, line, text });
    // Numbers inside gate names ("Run Gate 3 for PRD-*") are not thresholds.
    let rest = text;
    for (const name of names) rest = rest.split(name).join(' ');
    const known = CRITERIA.find(c => c.pattern.test(rest));
    if (known) {
      const m = known.pattern.exec(rest)!;
      thresholds.push({
        key: known.id,
        criterion: known.id,
        value: Number(m[1]),
        line,
        text,
      });
      return;
    }
    const generic = GENERIC.exec(rest);
    if (generic) {
      thresholds.push({
        key: genericKey(rest),
        value: Number(generic[1] ?? generic[2]),
        line,
        text,
      });
    }
  });
  return { gates, thresholds };
}

const at = (m: SourceLine) => `L${m.line}: ${m.text.trim()}`;

function byKey<T extends { key: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items)
    map.set(item.key, [...(map.get(item.key) ?? []), item]);
  return map;
}

/**
 * Compares AGENTS.md with CLAUDE.md (either may be absent): every gate name
 * must appear in both, and every threshold (a go/no-go criterion, or any
 * other `≥N%`-style line, matched by its text) must have the same value in
 * both. Returns the differences, empty when they agree.
 */
export function compareAgentInstructions(
  agentsContent: string | undefined,
  claudeContent: string | undefined,
): DriftDifference[] {
  if (agentsContent === undefined || claudeContent === undefined) {
    if (agentsContent === undefined && claudeContent === undefined) return [];
    return [
      {
        kind: 'file-missing',
        subject: agentsContent === undefined ? 'AGENTS.md' : 'CLAUDE.md',
      },
    ];
  }
  const agents = parseAgentInstructions(agentsContent);
  const claude = parseAgentInstructions(claudeContent);
  const differences: DriftDifference[] = [];

  const agentGates = byKey(agents.gates.map(g => ({ ...g, key: g.name })));
  const claudeGates = byKey(claude.gates.map(g => ({ ...g, key: g.name })));
  for (const [name, [first]] of agentGates) {
    if (!claudeGates.has(name)) {
      differences.push({
        kind: 'gate-missing',
        subject: name,
        agents: at(first),
        agentsLine: first.line,
      });
    }
  }
  for (const [name, [first]] of claudeGates) {
    if (!agentGates.has(name)) {
      differences.push({
        kind: 'gate-missing',
        subject: name,
        claude: at(first),
        claudeLine: first.line,
      });
    }
  }

  const agentValues = byKey(agents.thresholds);
  const claudeValues = byKey(claude.thresholds);
  for (const key of new Set([...agentValues.keys(), ...claudeValues.keys()])) {
    const a = agentValues.get(key) ?? [];
    const c = claudeValues.get(key) ?? [];
    if (a.length === 0 || c.length === 0) {
      differences.push({
        kind: 'threshold-missing',
        subject: key,
        ...(a[0] ? { agents: at(a[0]), agentsLine: a[0].line } : {}),
        ...(c[0] ? { claude: at(c[0]), claudeLine: c[0].line } : {}),
      });
      continue;
    }
    const aSet = new Set(a.map(x => x.value));
    const cSet = new Set(c.map(x => x.value));
    const aOnly = a.find(x => !cSet.has(x.value));
    const cOnly = c.find(x => !aSet.has(x.value));
    if (aOnly || cOnly) {
      const left = aOnly ?? a[0];
      const right = cOnly ?? c[0];
      differences.push({
        kind: 'threshold-mismatch',
        subject: key,
        agents: at(left),
        agentsLine: left.line,
        claude: at(right),
        claudeLine: right.line,
      });
    }
  }
  return differences;
}
