import fs from 'node:fs';
import path from 'node:path';

/**
 * A directory of stand-in command-line tools for running the template's
 * shell scripts in tests: each is a bash script body. Put it first on PATH.
 */
export function writeTools(dir: string, tools: Record<string, string>) {
  for (const [name, body] of Object.entries(tools)) {
    fs.writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\n${body}`, {
      mode: 0o755,
    });
  }
  return dir;
}

/**
 * A curl that records each call (its arguments, one per line, and the JSON
 * body of `--data-binary @file`) into `<log>` and answers `status` with
 * `answer` as the body, as `-o <file> -w '%{http_code}'` expects.
 */
export function fakeCurl(log: string, status = 201, answer = '{}') {
  return `printf '%s\\n' "--- call" >> ${JSON.stringify(log)}
out=""
prev=""
for arg in "$@"; do
  printf '%s\\n' "$arg" >> ${JSON.stringify(log)}
  if [ "$prev" = "-o" ]; then out="$arg"; fi
  if [ "$prev" = "--data-binary" ]; then printf 'BODY %s\\n' "$(tr -d '\\n' < "\${arg#@}")" >> ${JSON.stringify(
    log,
  )}; fi
  prev="$arg"
done
printf '%s' ${JSON.stringify(answer)} > "$out"
printf '%s' ${status}
`;
}

/** The calls a `fakeCurl` recorded: each an argument list (and body). */
export function curlCalls(log: string) {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('--- call\n')
    .filter(Boolean)
    .map(call => {
      const lines = call.split('\n').filter(Boolean);
      const body = lines.find(l => l.startsWith('BODY '));
      const args = lines.filter(l => !l.startsWith('BODY '));
      const fields = Object.fromEntries(
        args
          .filter((_, i) => args[i - 1] === '-F')
          .map(f => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]),
      );
      return {
        args,
        url: args[args.length - 1],
        headers: args.filter((_, i) => args[i - 1] === '-H'),
        fields,
        body: body ? JSON.parse(body.slice(5)) : undefined,
      };
    });
}
