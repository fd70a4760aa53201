// Runs the real `cadence` CLI in a child process, as an advisor's script would.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** How to start `cadence` in a child process: the bundle the test setup made, or the sources
 * through tsx when a test file runs without it (test/helpers/cli-bundle.ts). */
export function cliCommand(): string[] {
  const bundle = process.env.CADENCE_TEST_CLI;
  return bundle ? [bundle] : ['--import', 'tsx', resolve(root, 'src/main/cli.ts')];
}

export type CliResult = Readonly<{ code: number | null; stdout: string; stderr: string }>;

export function runCadence(
  args: readonly string[],
  options: Readonly<{ stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }> = {},
): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...args], {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cadence ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
