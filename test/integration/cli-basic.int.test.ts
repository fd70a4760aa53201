// The CLI as a black box: secrets from stdin into the real keychain, status, config, exit codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCadence } from '../helpers/cli';
import { listFiles, tempDir } from '../helpers/temp';

describe('cadence CLI', () => {
  it('stores a key from stdin and reports it configured without ever printing it', async () => {
    const dir = tempDir();
    const set = await runCadence(['--data-dir', dir, 'secrets', 'set', 'calcom'], {
      stdin: 'cal_live_x',
    });
    expect(set.code, set.stderr).toBe(0);
    const status = await runCadence(['--data-dir', dir, 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/calcom\s+configured/);
    expect(status.stdout).toMatch(/calendly\s+not set/);
    expect(status.stdout).toContain('Database:    open (encrypted');
    expect(status.stdout + status.stderr + set.stdout + set.stderr).not.toContain('cal_live_x');
    const json = await runCadence(['--data-dir', dir, 'status', '--json']);
    expect(JSON.parse(json.stdout).secrets.calcom.configured).toBe(true);
    expect(json.stdout).not.toContain('cal_live_x');
    for (const file of listFiles(dir))
      expect(readFileSync(file).includes('cal_live_x'), file).toBe(false);
    const removed = await runCadence(['--data-dir', dir, 'secrets', 'delete', 'calcom']);
    expect(removed.code).toBe(0);
    expect((await runCadence(['--data-dir', dir, 'status'])).stdout).toMatch(/calcom\s+not set/);
  });

  it('never takes a secret from the command line', async () => {
    const dir = tempDir();
    const result = await runCadence([
      '--data-dir',
      dir,
      'secrets',
      'set',
      'calcom',
      'cal_live_argv',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('standard input');
  });

  it('sets and gets config keys, and rejects bad values and keys with exit 2', async () => {
    const dir = tempDir();
    const url = 'http://127.0.0.1:4010/v2';
    expect(
      (await runCadence(['--data-dir', dir, 'config', 'set', 'sources.calcom.baseUrl', url])).code,
    ).toBe(0);
    const got = await runCadence(['--data-dir', dir, 'config', 'get', 'sources.calcom.baseUrl']);
    expect(got.stdout.trim()).toBe(url);
    const badUrl = await runCadence([
      '--data-dir',
      dir,
      'config',
      'set',
      'sources.calcom.baseUrl',
      'http://evil.example',
    ]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('sources.calcom.baseUrl');
    expect(badUrl.stderr.trim().split('\n')[0]).toMatch(/https/);
    const badKey = await runCadence(['--data-dir', dir, 'config', 'set', 'no.such.key', '1']);
    expect(badKey.code).toBe(2);
    const months = await runCadence([
      '--data-dir',
      dir,
      'config',
      'set',
      'review.defaultCadenceMonths',
      '3',
    ]);
    expect(months.code).toBe(0);
    expect(
      (
        await runCadence(['--data-dir', dir, 'config', 'get', 'review.defaultCadenceMonths'])
      ).stdout.trim(),
    ).toBe('3');
    // A list from comma-separated text, each domain checked and lower-cased.
    const domains = ['--data-dir', dir, 'config', 'set', 'match.personalDomains'];
    expect((await runCadence([...domains, 'ValleyNet.example, frontier.example'])).code).toBe(0);
    const listed = await runCadence(['--data-dir', dir, 'config', 'get', 'match.personalDomains']);
    expect(listed.stdout).toContain('valleynet.example');
    expect(listed.stdout).toContain('frontier.example');
    const badDomain = await runCadence([...domains, 'valleynet.example, someone@valleynet']);
    expect(badDomain.code).toBe(2);
    expect(badDomain.stderr).toContain('match.personalDomains');
    expect(badDomain.stderr).toContain('mail domain');
  });

  it('exits 2 on usage errors and 1 on failures, with one line on stderr', async () => {
    const dir = tempDir();
    const unknown = await runCadence(['--data-dir', dir, 'frobnicate']);
    expect(unknown.code).toBe(2);
    const badName = await runCadence(['--data-dir', dir, 'secrets', 'set', 'dropbox'], {
      stdin: 'x',
    });
    expect(badName.code).toBe(2);
    const empty = await runCadence(['--data-dir', dir, 'secrets', 'set', 'lacrm'], { stdin: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
    const noArgs = await runCadence([]);
    expect(noArgs.code).toBe(2);
    const help = await runCadence(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('secrets set NAME');
  });

  it('fails with exit 1 and a clear message when the keychain is unreachable', async () => {
    const dir = tempDir();
    const result = await runCadence(['--data-dir', dir, 'secrets', 'set', 'calcom'], {
      stdin: 'cal_live_x',
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', DISPLAY: '' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/keychain is unavailable/);
    expect(result.stderr).not.toContain('cal_live_x');
  });
});
