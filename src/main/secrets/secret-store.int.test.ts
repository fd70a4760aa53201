// SecretStore against the real OS keychain (GNOME Keyring in CI via scripts/with-keyring.sh), and
// its session-only fallback when the keychain cannot be reached.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from './secret-store';

const service = `Cadence-test-${randomUUID()}`;
const store = new KeychainSecretStore({ service });
const accounts: string[] = [];

afterAll(async () => {
  for (const account of accounts) await store.delete(account);
});

describe('KeychainSecretStore (real keychain)', () => {
  it('reaches the keychain (run tests through `npm test`, which provides one on Linux)', async () => {
    const status = await store.probe();
    expect(status, status.message ?? '').toEqual({ available: true, message: null });
  });

  it('sets, gets and deletes a secret', async () => {
    const account = `acct-${randomUUID()}`;
    accounts.push(account);
    expect(await store.get(account)).toBeNull();
    await store.set(account, 'cal_live_secret_value');
    expect(await store.get(account)).toBe('cal_live_secret_value');
    // A second store instance reads what the first wrote: it is in the keychain, not in memory.
    expect(await new KeychainSecretStore({ service }).get(account)).toBe('cal_live_secret_value');
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();
  });
});

describe('KeychainSecretStore (keychain unavailable)', () => {
  const broken = () =>
    new KeychainSecretStore({
      service,
      loadBackend: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
    });

  it('says why, and keeps secrets for the session only', async () => {
    const store = broken();
    const status = await store.probe();
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/keychain is unavailable.*D-Bus.*session only/s);
    await store.set('a', 'v');
    expect(await store.get('a')).toBe('v');
    expect(await broken().get('a')).toBeNull();
  });
});
