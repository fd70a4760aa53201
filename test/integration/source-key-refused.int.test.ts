// Settings → Sources remembers that a service refused the stored key — at Check again
// (sources:verify) or at Sync now — until a key works again, against the simulators and the real
// keychain.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { practicePerTest } from '../helpers/practice-per-test';

const setup = practicePerTest();

async function account(core: Core, source: string) {
  const list = await core.call('sources:list', {});
  const found = list.find((a) => a.source === source);
  if (!found) throw new Error(`no ${source} row`);
  return found;
}

describe('a refused key on the source row', () => {
  it('Check again with a revoked key says refused; a good key connected clears it', async () => {
    const { world, core } = await setup();
    expect((await account(core, 'calcom')).keyRefused ?? null).toBeNull();

    // The service revoked the key: the keychain holds one it no longer accepts.
    await core.call('secrets:set', { name: 'calcom', value: 'cal_live_revokedrevokedrevoked0000' });
    await expect(core.call('sources:verify', { source: 'calcom' })).rejects.toMatchObject({
      code: 'auth_failed',
    });
    const refused = await account(core, 'calcom');
    expect(refused.configured).toBe(true);
    expect(refused.keyRefused?.message).toMatch(/Cal\.com refused the API key/);
    expect(Date.parse(refused.keyRefused!.at)).not.toBeNaN();

    await core.call('sources:connect', { source: 'calcom', key: world.calcom.apiKey });
    expect((await account(core, 'calcom')).keyRefused ?? null).toBeNull();
  });

  it('a sync refused with the stored key says refused; Check again with a working key clears it', async () => {
    const { world, core } = await setup();
    await core.call('secrets:set', { name: 'tidycal', value: 'not-the-key' });
    const outcome = await core.call('sync:run', { sources: ['tidycal'] });
    expect(outcome.results[0]?.error?.code).toBe('auth_failed');
    expect((await account(core, 'tidycal')).keyRefused?.message).toMatch(
      /TidyCal refused the API token/,
    );
    // Other sources are untouched.
    expect((await account(core, 'calcom')).keyRefused ?? null).toBeNull();

    // The right key back in the keychain; Check again proves it and clears the refusal.
    await core.context.secrets.set(core.context.secretAccount('tidycal'), world.tidycal.apiKey);
    await core.call('sources:verify', { source: 'tidycal' });
    expect((await account(core, 'tidycal')).keyRefused ?? null).toBeNull();
  });

  it('a sync that succeeds clears a refusal, and Disconnect forgets it', async () => {
    const { world, core } = await setup();
    await core.call('secrets:set', { name: 'calendly', value: 'not-the-token' });
    await core.call('sync:run', { sources: ['calendly'] });
    expect((await account(core, 'calendly')).keyRefused?.message).toMatch(/Calendly refused/);

    await core.context.secrets.set(core.context.secretAccount('calendly'), world.calendly.apiKey);
    const ok = await core.call('sync:run', { sources: ['calendly'] });
    expect(ok.results[0]?.state).toBe('ok');
    expect((await account(core, 'calendly')).keyRefused ?? null).toBeNull();

    await core.call('secrets:set', { name: 'calendly', value: 'not-the-token' });
    await core.call('sync:run', { sources: ['calendly'] });
    expect((await account(core, 'calendly')).keyRefused?.message).toMatch(/Calendly refused/);
    await core.call('sources:disconnect', { source: 'calendly' });
    await core.context.secrets.set(core.context.secretAccount('calendly'), world.calendly.apiKey);
    expect((await account(core, 'calendly')).keyRefused ?? null).toBeNull();
  });
});
