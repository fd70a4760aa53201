// Vitest global setup: the `cadence` command bundled once (esbuild, packages left to
// node_modules) for the tests that run it in child processes. Started through tsx, each of those
// processes compiled the sources again: ~1.5 s a start against ~0.7 s, over about a hundred starts.
// The bundle is the same code as `npm run cadence`; the tests that run the CLI find it through
// CADENCE_TEST_CLI (cliCommand), and fall back to tsx when a file is run without this setup.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<() => void> {
  const dir = join(root, 'node_modules', '.cache', 'cadence-test');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `cli-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'src/main/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  process.env.CADENCE_TEST_CLI = outfile;
  return () => rmSync(outfile, { force: true });
}
