// Shared by the match-*.int.test.ts files: a small CRM in the LACRM simulator, bookings stored as
// a scheduler sync would store them, and a core (real encrypted store, real keychain) wired to both.
import { afterEach, expect } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { createCore } from '../../src/main/core/core';
import type { LacrmContact } from '../../src/main/crm/lacrm/types';
import { upsertBooking } from '../../src/main/db/queries/bookings';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { matchExportRows } from '../../src/main/pipeline/export';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { BookingSource } from '../../src/shared/domain';
import type { NormalizedBooking } from '../../src/main/sources/types';
import { testAttendee, testBooking } from '../helpers/booking';
import { tempDir } from '../helpers/temp';

export const ADVISOR = 'avery@advisor.example';

export const ids = {
  robert: '3862515354732873260518907940101',
  jane: '3862515354732873260518907940102',
  carol: '3862515354732873260518907940103',
  dan: '3862515354732873260518907940104',
  elizabeth: '3862515354732873260518907940105',
  harold: '3862515354732873260518907940106',
  margaret: '3862515354732873260518907940107',
} as const;

function contact(
  id: string,
  first: string,
  last: string,
  emails: readonly string[],
  company = '',
): LacrmContact {
  return {
    ContactId: id,
    IsCompany: false,
    AssignedTo: 483823,
    CompanyId: null,
    Name: { FirstName: first, LastName: last },
    Email: emails.map((Text) => ({ Text, Type: 'Work' })),
    Phone: [],
    'Company Name': company,
    DateCreated: '2024-01-05T09:12:00-06:00',
    LastUpdate: '2025-03-14T11:05:00-05:00',
  };
}

export const crm: readonly LacrmContact[] = [
  contact(ids.robert, 'Robert', 'Smith', ['robert.smith@smithco.example']),
  contact(ids.jane, 'Jane', 'Doe', ['jane@acme.example', 'jane.doe@mail.example'], 'Acme'),
  contact(ids.carol, 'Carol', 'Ng', ['ngfamily@mail.example']),
  contact(ids.dan, 'Dan', 'Ng', ['ngfamily@mail.example', 'dan@ng-consulting.example']),
  contact(ids.elizabeth, 'Elizabeth', 'Taylor', ['etaylor@work.example']),
  contact(ids.harold, 'Harold', 'Murphy', ['harold.murphy@murphylaw.example']),
  contact(ids.margaret, 'Margaret', 'Adams', ['madams@adams-cpa.example']),
];

let sequence = 0;
export function booking(
  attendees: readonly Readonly<{ email: string | null; name: string | null }>[],
  options: Readonly<{ start?: string; source?: BookingSource; sourceId?: string }> = {},
): NormalizedBooking {
  sequence++;
  return testBooking({
    source: options.source ?? 'calcom',
    sourceId: options.sourceId ?? `uid-${sequence}`,
    title: `Meeting ${sequence}`,
    eventTypeSlug: 'portfolio-review',
    eventTypeName: 'Portfolio review',
    startUtc: options.start ?? '2026-02-03T15:00:00.000Z',
    hosts: [{ email: ADVISOR, name: 'Avery Advisor' }],
    attendees: attendees.map((a) => testAttendee(a.email, a.name)),
  });
}

const cores: Core[] = [];
const sims: LacrmSim[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) {
    await c.context.secrets.delete(c.context.secretAccount('lacrm'));
    await c.context.secrets.delete(`${c.context.profile.profileId}:db-key`);
    c.close();
  }
  for (const s of sims.splice(0)) await s.close();
});

export async function setup() {
  const sim = await startLacrmSim({ contacts: crm });
  sims.push(sim);
  const core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    net: { requestsPerMinute: { lacrm: Number.POSITIVE_INFINITY }, timeoutMs: 3000 },
  });
  cores.push(core);
  await core.call('settings:set', { 'lacrm.baseUrl': sim.baseUrl, 'advisor.emails': [ADVISOR] });
  await core.call('secrets:set', { name: 'lacrm', value: sim.apiKey });
  return { sim, core };
}

/** Stores bookings as a scheduler sync would, without matching them. */
export function storeBookings(core: Core, ...bookings: NormalizedBooking[]) {
  const db = core.context.db();
  db.transaction(() => {
    for (const b of bookings) upsertBooking(db, b, null, new Date().toISOString());
  })();
}

/** Stores bookings as a scheduler sync would, then syncs contacts (which runs matching). */
export async function arrive(core: Core, ...bookings: NormalizedBooking[]) {
  storeBookings(core, ...bookings);
  const outcome = await core.call('sync:run', { sources: ['lacrm'] });
  expect(outcome.results.map((r) => [r.source, r.state])).toEqual([['lacrm', 'ok']]);
}

export function attendeeId(core: Core, sourceId: string, email: string): number {
  return core.context
    .db()
    .prepare(
      'SELECT a.id FROM attendees a JOIN bookings b ON b.id = a.booking_id WHERE b.source_id = ? AND a.email = ?',
    )
    .pluck()
    .get(sourceId, email) as number;
}

export function exported(core: Core) {
  return [...matchExportRows(core.context.db(), core.context.sync.ownEmails())];
}

export function rowFor(core: Core, sourceId: string, email: string) {
  const row = exported(core).find((r) => r.bookingId === sourceId && r.attendeeEmail === email);
  if (!row) throw new Error(`no export row for ${sourceId} ${email}`);
  return row;
}
