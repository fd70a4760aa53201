// A data folder with approved CreateEvent changes waiting to be pushed to the LACRM simulator:
// numbered contacts, TidyCal meetings with them stored directly, matched, planned and approved,
// with the real encrypted store and keychain. Shared by the push fault and kill tests.
import { createCore } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { startLacrmSim, type LacrmSim, type LacrmSimOptions } from '../../src/main/demo/sim/lacrm';
import { matchAll } from '../../src/main/pipeline';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NormalizedBooking } from '../../src/main/sources/types';
import { testAttendee, testBooking } from '../helpers/booking';

/** A held planning meeting with one attendee, five hours after the previous one. */
export function meeting(index: number, email: string, name: string): NormalizedBooking {
  const start = Date.UTC(2026, 0, 5, 14) + index * 5 * 3_600_000;
  return testBooking({
    sourceId: String(500_000 + index),
    title: `Planning meeting ${index}`,
    eventTypeSlug: 'planning-meeting',
    eventTypeName: 'Planning meeting',
    startUtc: new Date(start).toISOString(),
    durationMinutes: 45,
    timeZone: index % 2 === 0 ? 'America/Chicago' : 'Europe/Berlin',
    attendees: [testAttendee(email, name)],
  });
}

export type ApprovedPush = Readonly<{
  dataDir: string;
  lacrm: LacrmSim;
  profileId: string;
  /** Approved CreateEvent changes waiting in the folder. */
  total: number;
}>;

/**
 * Fills `dataDir` with `contacts × meetingsPerContact` approved CreateEvent changes against a new
 * LACRM simulator (which the caller closes). Fails loudly if the plan is not what the tests assume.
 */
export async function approvedPushFolder(
  dataDir: string,
  options: Readonly<{
    contacts: number;
    meetingsPerContact: number;
    lacrm?: Omit<LacrmSimOptions, 'contacts'>;
  }>,
): Promise<ApprovedPush> {
  const lacrm = await startLacrmSim(options.lacrm);
  const people: { email: string; name: string }[] = [];
  for (let i = 0; i < options.contacts; i++) {
    const email = `client${i}@clients.example`;
    lacrm.addContactDirectly({
      Name: { FirstName: `Client${i}`, LastName: 'Example' },
      Email: [{ Text: email, Type: 'Work' }],
    });
    people.push({ email, name: `Client${i} Example` });
  }
  const total = options.contacts * options.meetingsPerContact;
  const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  try {
    await core.call('settings:set', { 'lacrm.baseUrl': lacrm.baseUrl });
    await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
    const synced = await core.call('sync:run', { sources: ['lacrm'] });
    if (synced.results[0]?.state !== 'ok')
      throw new Error('approvedPushFolder: contact pull failed');
    const db = core.context.db();
    const nowIso = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < total; i++) {
        const person = people[i % options.contacts]!;
        storeBooking(db, meeting(i, person.email, person.name), null, nowIso);
      }
    })();
    matchAll(core.context);
    const plan = await core.call('changes:plan', {});
    if (plan.proposed !== total)
      throw new Error(`approvedPushFolder: planned ${plan.proposed} changes, expected ${total}`);
    const approved = await core.call('changes:approve', { all: true });
    if (approved.changed !== total)
      throw new Error(`approvedPushFolder: approved ${approved.changed}, expected ${total}`);
    return { dataDir, lacrm, profileId: core.context.profile.profileId, total };
  } finally {
    core.close();
  }
}
