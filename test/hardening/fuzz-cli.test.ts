// Fuzzing the `cadence` command line in-process (runCli, the same entry the binary calls), with a
// throw-away data folder and an in-memory keychain. Random words, and real commands with random
// flags, values and positionals: the CLI always returns 0, 1 or 2 as documented, never throws,
// never prints a stack trace or falls through to "unexpected error", and a usage error names the
// argument it refused. Files are only ever written under the temp folder.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/main/cli/command';
import type { CliIo } from '../../src/main/cli/io';
import { commands, runCli } from '../../src/main/cli/run';
import { hasStackTrace, MemorySecretStore } from './fuzz-support';

const RUNS = 150;

/**
 * Left out: they listen until Ctrl+C (serve, demo serve) or reach the network by design (sync,
 * push, Calendly subscriptions). Their argument parsing is still fuzzed through the unknown-flag
 * property, which fails before anything runs.
 */
const LONG_RUNNING = new Set([
  'serve',
  'demo serve',
  'sync',
  'push',
  'webhooks calendly subscribe',
]);
const LONG_RUNNING_PREFIX = ['webhooks calendly'];

const isLongRunning = (c: Command) => {
  const name = c.name.join(' ');
  return LONG_RUNNING.has(name) || LONG_RUNNING_PREFIX.some((p) => name.startsWith(p));
};
const runnable = commands.filter((c) => !isLongRunning(c));

let root: string;
let dataDir: string;
let outDir: string;
const secrets = new MemorySecretStore();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cadence-fuzz-cli-'));
  dataDir = join(root, 'data');
  outDir = join(root, 'out');
  mkdirSync(outDir);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

type Run = Readonly<{ code: number; stdout: string; stderr: string }>;

async function cadence(args: readonly string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readSecret: async () => stdin,
    env: { HOME: root, XDG_CONFIG_HOME: root },
  };
  // runCli must never reject: a rejection fails the property right here.
  const code = await runCli(['--data-dir', dataDir, ...args], { io, secrets: () => secrets });
  return { code, stdout, stderr };
}

function expectDocumentedOutcome(run: Run): void {
  expect([0, 1, 2]).toContain(run.code);
  expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
  expect(run.stderr).not.toContain('unexpected error');
  if (run.code === 1) expect(run.stderr.startsWith('cadence: ')).toBe(true);
  // A usage error says what was wrong and where to look, or (no command at all) prints the usage.
  if (run.code === 2)
    expect(
      run.stderr.startsWith('Usage: cadence') ||
        (run.stderr.startsWith('cadence: ') && run.stderr.includes('Run "cadence --help"')),
    ).toBe(true);
}

/** A random token that cannot redirect output or the data folder outside the temp folder. */
const token = fc
  .oneof(
    fc.string({ maxLength: 24 }),
    fc.constantFrom('--', '-', '-h', '--help', '--json', '--all', '--full', '=', '--format='),
    fc.constantFrom('json', 'csv', 'pdf', 'xml', '0', '-1', '1e9', '2026-02-30', '2026-01-01'),
    fc.stringMatching(/^--[a-z]{1,10}(=[A-Za-z0-9:._-]{0,12})?$/),
  )
  .filter((t) => !/^--(out|data-dir)(=|$)/.test(t));

/** A real command, its own options with random values, random positionals, maybe --out. */
const commandLine = fc
  .record({
    command: fc.constantFrom(...runnable),
    flags: fc.array(fc.tuple(fc.nat(), fc.option(token, { nil: undefined })), { maxLength: 4 }),
    extra: fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }) },
    ),
    out: fc.option(fc.stringMatching(/^[a-z]{1,8}\.(json|csv|pdf)$/), { nil: undefined }),
  })
  .map(({ command, flags, extra, out }) => {
    const names = Object.keys(command.options ?? {}).filter((n) => n !== 'out');
    const args = [...command.name];
    for (const [pick, value] of flags) {
      if (names.length === 0) break;
      const name = names[pick % names.length]!;
      args.push(`--${name}`);
      if (value !== undefined && command.options?.[name]?.type === 'string') args.push(value);
    }
    args.push(...extra);
    if (out !== undefined) args.push('--out', join(outDir, out));
    return args;
  });

describe('the cadence CLI under fuzzing', () => {
  let cwdBefore: string[];
  beforeAll(() => {
    cwdBefore = readdirSync(process.cwd()).sort();
  });
  afterAll(() => {
    // Nothing was written where the tests run from (relative --out paths were never given).
    expect(readdirSync(process.cwd()).sort()).toEqual(cwdBefore);
  });

  it('answers random words with a documented exit code and no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (args) => {
        expectDocumentedOutcome(await cadence(args));
      }),
      { numRuns: RUNS },
    );
  });

  it('answers real commands with random options and values the same way', async () => {
    const codes = [0, 0, 0];
    await fc.assert(
      fc.asyncProperty(commandLine, fc.string({ maxLength: 40 }), async (args, stdin) => {
        const run = await cadence(args, stdin);
        expectDocumentedOutcome(run);
        codes[run.code]!++;
      }),
      { numRuns: RUNS },
    );
    // The commands really ran, not just their argument checks. About one run in seven succeeds
    // (13 to 25 of 150 over runs of this test); a tenth as the bar failed now and then by chance,
    // a twentieth still fails if the commands stop running.
    expect(codes[0]).toBeGreaterThan(RUNS / 20);
  });

  it('names an unknown command', async () => {
    const words = new Set(commands.map((c) => c.name[0]));
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/).filter((w) => !words.has(w)),
        fc.array(
          token.filter((t) => t !== '-h' && t !== '--help'),
          { maxLength: 2 },
        ),
        async (word, rest) => {
          const run = await cadence([word, ...rest]);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain(`unknown command "${word}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('names an unknown option of every command, long-running ones included, before running it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commands),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/).map((n) => `--zz${n}`),
        async (command, flag) => {
          const run = await cadence([...command.name, flag]);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain(flag);
          expect(run.stderr).toContain(`usage: cadence ${command.usage}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('leaves secrets given on the command line out of the keychain and says why', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 30 }).filter((v) => !v.startsWith('-')),
        async (value) => {
          const writes = secrets.writes;
          const run = await cadence(['secrets', 'set', 'calcom', value]);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain('never from the command line');
          expect(secrets.writes).toBe(writes);
        },
      ),
      { numRuns: 50 },
    );
  });
});
