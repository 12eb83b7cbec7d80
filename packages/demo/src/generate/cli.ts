/*
 * yarn demo:generate [--seed <seed>] [--out <examples dir>] [--resign]
 *
 * Regenerates the offline demo organisation (catalog, GitHub fixtures,
 * signed artifact and policy bundles, demo trusted root) into the
 * repository's examples/ directory. When the output already holds the same
 * demo, its signatures are kept (running it twice changes nothing);
 * --resign signs everything anew against a new demo trusted root.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';
import { DEFAULT_SEED, generateDemo, writeDemo } from './generateDemo';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) {
    throw new Error(`--${name} needs a value`);
  }
  return value;
}

async function main() {
  const seed = argument('seed') ?? DEFAULT_SEED;
  const out = path.resolve(
    argument('out') ?? resolvePackagePath('@dual-lane/demo', '../../examples'),
  );
  const demo = await generateDemo(seed);
  const { signatures } = writeDemo(demo, out, {
    resign: process.argv.includes('--resign'),
  });
  const bytes = [...demo.catalog.values(), ...demo.data.values()].reduce(
    (sum, b) => sum + b.length,
    0,
  );
  // eslint-disable-next-line no-console
  console.log(
    `demo generated with seed '${seed}' into ${out}: ${
      demo.catalog.size + demo.data.size
    } files, ${Math.round(bytes / 1024)} KiB; signatures ${
      signatures === 'kept' ? 'kept (nothing they sign changed)' : 'made anew'
    }`,
  );
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(
    `demo:generate failed: ${error instanceof Error ? error.stack : error}`,
  );
  process.exit(1);
});
