import fs from 'node:fs';
import {
  compareAgentInstructions,
  DriftDifference,
} from '@dual-lane/plugin-dual-lane-common';

/*
 * Entry of `.github/dual-lane/drift-check.cjs` (bundled by
 * `yarn build:skeleton`): the backend's drift comparison of AGENTS.md and
 * CLAUDE.md (compareAgentInstructions), so the repository's check fails
 * exactly when the backend records a drift incident.
 *
 *   node .github/dual-lane/drift-check.cjs [AGENTS.md] [CLAUDE.md]
 *
 * Prints one GitHub Actions `::error` annotation per difference (on the line
 * of the file it is about) and exits 1 on drift, 0 otherwise.
 */

/** Workflow-command escaping of a message (`%`, CR, LF). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping of a property value. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function describeDifference(
  d: DriftDifference,
  files: { agents: string; claude: string },
): string {
  const sides = [
    d.agents ? `${files.agents} ${d.agents}` : `${files.agents}: none`,
    d.claude ? `${files.claude} ${d.claude}` : `${files.claude}: none`,
  ];
  return `${d.kind}: ${d.subject} (${sides.join('; ')})`;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Runs the check; returns the exit code and the lines to print. */
export function driftCheck(
  agentsFile = 'AGENTS.md',
  claudeFile = 'CLAUDE.md',
): { code: number; lines: string[] } {
  const agents = readIfPresent(agentsFile);
  const claude = readIfPresent(claudeFile);
  if (agents === undefined && claude === undefined) {
    return {
      code: 1,
      lines: [
        `❌ DRIFT DETECTED: neither ${agentsFile} nor ${claudeFile} exists`,
      ],
    };
  }
  const differences = compareAgentInstructions(agents, claude);
  const files = { agents: agentsFile, claude: claudeFile };
  // One annotation on each file's line the difference is about.
  const lines = differences.flatMap(d => {
    const message = escapeData(describeDifference(d, files));
    const title = escapeProperty('AGENTS.md/CLAUDE.md drift');
    const sides: Array<[string, number | undefined]> = [
      [agentsFile, d.agentsLine],
      [claudeFile, d.claudeLine],
    ];
    const located = sides.filter(([, line]) => line !== undefined);
    return (located.length ? located : [[agentsFile, undefined]]).map(
      ([file, line]) =>
        `::error file=${escapeProperty(file as string)}${
          line !== undefined ? `,line=${line}` : ''
        },title=${title}::${message}`,
    );
  });
  if (differences.length) {
    lines.push(
      `❌ DRIFT DETECTED: ${differences.length} difference(s) between ${agentsFile} and ${claudeFile} in gate names or thresholds`,
    );
    return { code: 1, lines };
  }
  return {
    code: 0,
    lines: [
      `✅ No drift detected: ${agentsFile} and ${claudeFile} state the same gates and thresholds`,
    ],
  };
}

if (require.main === module) {
  const { code, lines } = driftCheck(process.argv[2], process.argv[3]);
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.exitCode = code;
}
