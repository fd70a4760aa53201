// The core as every front door sees it: contract validation, results, status, settings and secrets,
// with the real encrypted store and the real keychain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../../../test/helpers/temp';
import { KeychainSecretStore } from '../secrets/secret-store';
import { createCore, type Core } from './core';

const opened: Core[] = [];
async function core(dataDir = tempDir(), secrets = new KeychainSecretStore()) {
  const c = await createCore({ dataDir, secrets });
  opened.push(c);
  return c;
}

afterEach(async () => {
  for (const c of opened.splice(0)) {
    for (const name of ['calcom', 'lacrm'] as const)
      await c.context.secrets.delete(c.context.secretAccount(name));
    await c.context.secrets.delete(`${c.context.profile.profileId}:db-key`);
    c.close();
  }
});

describe('createCore', () => {
  it('creates an encrypted store on first run, with its key in the keychain', async () => {
    const dataDir = tempDir();
    const c = await core(dataDir);
    const status = await c.call('app:status', {});
    expect(status.db.state).toBe('open');
    expect(status.keychain.available).toBe(true);
    expect(status.dataDir).toBe(dataDir);
    expect(await c.context.secrets.get(`${c.context.profile.profileId}:db-key`)).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it('reports configured secrets and never their values', async () => {
    const c = await core();
    await c.call('secrets:set', { name: 'calcom', value: 'cal_live_abcdef123456' });
    const result = await c.invoke('app:status', {});
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('cal_live_abcdef123456');
    const status = await c.call('app:status', {});
    expect(status.secrets.calcom.configured).toBe(true);
    expect(status.secrets.lacrm.configured).toBe(false);
    const files = listFiles(c.context.dataDir);
    for (const file of files)
      expect(readFileSync(file).includes('cal_live_abcdef123456'), file).toBe(false);
  });

  it('validates input against the contract and names what was wrong', async () => {
    const c = await core();
    const bad = await c.invoke('settings:set', { 'review.defaultCadenceMonths': 'twelve' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!bad.ok && bad.error.message).toContain('review.defaultCadenceMonths');
    const extra = await c.invoke('settings:set', { nope: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const secret = await c.invoke('secrets:set', { name: 'dropbox', value: 'x' });
    expect(!secret.ok && secret.error.message).toContain('name');
    expect(await c.invoke('no:such', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });

  it('keeps settings across restarts', async () => {
    const dataDir = tempDir();
    const first = await core(dataDir);
    await first.call('settings:set', {
      'review.timezone': 'America/Chicago',
      'webhooks.port': 9000,
    });
    first.close();
    const second = await core(dataDir);
    const settings = await second.call('settings:get', {});
    expect(settings['review.timezone']).toBe('America/Chicago');
    expect(settings['webhooks.port']).toBe(9000);
    expect(settings['review.defaultCadenceMonths']).toBe(12);
    // A later patch of one key leaves the others as they were.
    await second.call('settings:set', { 'review.dueSoonDays': 14 });
    const after = await second.call('settings:get', {});
    expect(after['review.timezone']).toBe('America/Chicago');
    expect(after['webhooks.port']).toBe(9000);
    expect(after['review.dueSoonDays']).toBe(14);
  });

  it('reports a missing key without touching the data', async () => {
    const dataDir = tempDir();
    const first = await core(dataDir);
    await first.call('settings:set', { 'advisor.name': 'Pat Advisor' });
    await first.context.secrets.delete(`${first.context.profile.profileId}:db-key`);
    first.close();
    const before = readFileSync(join(dataDir, 'cadence.db'));
    const second = await core(dataDir);
    const status = await second.call('app:status', {});
    expect(status.db.state).toBe('key_missing');
    expect(await second.invoke('settings:set', { 'advisor.name': 'x' })).toMatchObject({
      ok: false,
      error: { code: 'db_key_missing' },
    });
    expect(readFileSync(join(dataDir, 'cadence.db')).equals(before)).toBe(true);
  });

  it('reports a wrong key as its own state', async () => {
    const dataDir = tempDir();
    const first = await core(dataDir);
    const account = `${first.context.profile.profileId}:db-key`;
    first.close();
    await first.context.secrets.set(account, 'f'.repeat(64));
    const second = await core(dataDir);
    expect((await second.call('app:status', {})).db.state).toBe('wrong_key');
  });

  it('without a keychain keeps data in memory only and refuses to store secrets from the CLI', async () => {
    const dataDir = tempDir();
    const broken = new KeychainSecretStore({
      loadBackend: async () => {
        throw new Error('no secret service');
      },
    });
    const c = await core(dataDir, broken);
    const status = await c.call('app:status', {});
    expect(status.db.state).toBe('memory');
    expect(status.keychain.available).toBe(false);
    const stored = await c.invoke('secrets:set', { name: 'calcom', value: 'cal_live_zzz' });
    expect(stored).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    expect(listFiles(dataDir).some((f) => f.endsWith('cadence.db'))).toBe(false);
  });
});
