// Shared set-up for the push tests: a generated practice served by the three scheduler simulators
// and the LACRM simulator (its test hooks count events per marker), and a core with the real
// encrypted store and keychain, synced and mapped to the practice's LACRM fields.
import { createCore, type Core } from '../../src/main/core/core';
import { DEFAULT_PRACTICE_NOW } from '../../src/main/demo/practice';
import { startLacrmSim, type LacrmSim, type LacrmSimOptions } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NetTuning } from '../../src/main/sync/connectors';
import type { SettingsPatch } from '../../src/shared/settings';
import { tempDir } from '../helpers/temp';
import { configure, startWorld, testNet, type World } from '../helpers/world';

export const PRACTICE_NOW = new Date(DEFAULT_PRACTICE_NOW);

/** The practice's own field names, plus a Number field for the meetings count. */
export const FIELD_MAPPING: SettingsPatch = {
  'lacrm.fields.lastReview': 'Last portfolio review',
  'lacrm.fields.nextReviewDue': 'Next review due',
  'lacrm.fields.meetings12m': 'Meetings last 12 months',
};

export type PushWorld = Readonly<{
  world: World;
  lacrm: LacrmSim;
  core: Core;
  dataDir: string;
  close(): Promise<void>;
}>;

export const fastNet: NetTuning = { ...testNet, timeoutMs: 1500, baseBackoffMs: 5, maxRetries: 8 };

export async function startPushWorld(
  options: Readonly<{
    lacrm?: Omit<LacrmSimOptions, 'contacts' | 'user'>;
    settings?: SettingsPatch;
    net?: NetTuning;
    clock?: () => Date;
  }> = {},
): Promise<PushWorld> {
  const world = await startWorld();
  const { practice } = world;
  const lacrm = await startLacrmSim({
    user: practice.lacrm.user,
    contacts: practice.lacrm.contacts,
    customFields: [
      ...practice.lacrm.customFields,
      { name: 'Meetings last 12 months', type: 'Number' },
    ],
    ...options.lacrm,
  });
  const dataDir = tempDir();
  const core = await createCore({
    dataDir,
    secrets: new KeychainSecretStore(),
    net: options.net ?? fastNet,
    clock: options.clock ?? (() => PRACTICE_NOW),
  });
  await configure(core, world);
  await core.call('settings:set', {
    'lacrm.baseUrl': lacrm.baseUrl,
    'review.timezone': practice.advisor.timeZone,
    ...FIELD_MAPPING,
    ...options.settings,
  });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  return {
    world,
    lacrm,
    core,
    dataDir,
    async close() {
      const secrets = core.context.secrets;
      for (const name of ['calcom', 'calendly', 'tidycal', 'lacrm'] as const)
        await secrets.delete(core.context.secretAccount(name));
      await secrets.delete(`${core.context.profile.profileId}:db-key`);
      core.close();
      await Promise.all([world.close(), lacrm.close()]);
    },
  };
}

/** All changes as stored, for assertions. */
export function changeRows(core: Core, where = '1', ...params: unknown[]) {
  return core.context
    .db()
    .prepare(`SELECT * FROM changes WHERE ${where} ORDER BY id`)
    .all(...params) as {
    id: number;
    change_key: string;
    kind: string;
    state: string;
    contact_id: string | null;
    marker: string | null;
    lacrm_id: string | null;
    target_id: string | null;
    before_json: string;
    after_json: string;
    batch_id: number | null;
    attempts: number;
    last_error: string | null;
    booking_source: string | null;
    booking_source_id: string | null;
    undo_of: number | null;
    reason: string | null;
  }[];
}
