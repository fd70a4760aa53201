// The world behind the simulator fault suite: a practice served by all four simulators (LACRM
// included), one core syncing from them with short timeouts and fast retries, and a snapshot of
// what the store holds (row counts plus a SHA-256 of every booking, attendee and contact) so a test
// can say "nothing was lost or altered" in one comparison.
import { createHash } from 'node:crypto';
import { createCore, type Core } from '../../src/main/core/core';
import type { SimRequest } from '../../src/main/demo/sim/kit';
import { lacrmFunctionOf, startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NetTuning } from '../../src/main/sync/connectors';
import type { SyncSource } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { configure, startWorld, type World, type WorldOptions } from '../helpers/world';

export const faultSources = ['calcom', 'calendly', 'tidycal', 'lacrm'] as const;
export type FaultSource = (typeof faultSources)[number];

/**
 * One second per attempt (so a hang costs seconds, not minutes, and the message still reads
 * "1 s"), three retries (a storm of up to three 429s in a row is survivable), and quick backoff.
 */
export const faultNet: NetTuning = {
  requestsPerMinute: { calcom: Infinity, calendly: Infinity, tidycal: Infinity, lacrm: Infinity },
  timeoutMs: 1000,
  maxRetries: 3,
  baseBackoffMs: 10,
};

export type FaultWorld = Readonly<{
  world: World;
  lacrm: LacrmSim;
  core: Core;
  /** The simulator's request log and fault plan for a source. */
  sim(source: FaultSource): Pick<LacrmSim, 'log' | 'faults'>;
  close(): Promise<void>;
}>;

export async function startFaultWorld(
  options: Readonly<{ world?: WorldOptions; net?: NetTuning }> = {},
): Promise<FaultWorld> {
  const world = await startWorld(options.world);
  const lacrm = await startLacrmSim({
    user: world.practice.lacrm.user,
    contacts: world.practice.lacrm.contacts,
    customFields: world.practice.lacrm.customFields,
  });
  const core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    net: options.net ?? faultNet,
  });
  await configure(core, world);
  await core.call('settings:set', { 'lacrm.baseUrl': lacrm.baseUrl });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  return {
    world,
    lacrm,
    core,
    sim(source) {
      switch (source) {
        case 'calcom':
          return world.calcom;
        case 'calendly':
          return world.calendly;
        case 'tidycal':
          return world.tidycal;
        case 'lacrm':
          return lacrm;
      }
    },
    async close() {
      const { secrets, profile } = core.context;
      for (const name of faultSources) await secrets.delete(core.context.secretAccount(name));
      await secrets.delete(`${profile.profileId}:db-key`);
      core.close();
      await Promise.all([world.close(), lacrm.close()]);
    },
  };
}

/** What the store holds, in a form `toEqual` can compare: counts and content digests. */
export type StoreSnapshot = Readonly<{
  counts: Readonly<Record<string, number>>;
  bookingsSha256: string;
  attendeesSha256: string;
  contactsSha256: string;
}>;

function digest(rows: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(JSON.stringify(row)).update('\n');
  return hash.digest('hex');
}

/**
 * Every stored column except the "last seen" stamps, which an unchanged re-sync is meant to move.
 * Bookings and attendees are keyed by (source, source id) so row ids do not matter.
 */
export function snapshotStore(core: Core): StoreSnapshot {
  const db = core.context.db();
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const bookings = db
    .prepare(
      `SELECT source, source_id, source_alt_id, title, event_type_slug, event_type_name, start_utc,
              end_utc, time_zone, duration_minutes, status, location, hosts_json, custom_answers_json,
              cancellation_reason, rescheduled_from_source_id, rescheduled_to_source_id,
              (SELECT s.source_id FROM bookings s WHERE s.id = b.superseded_by) AS superseded_by,
              source_created_at, source_updated_at, raw_json, change_key, content_hash,
              first_seen_at, changed_at
       FROM bookings b ORDER BY source, source_id`,
    )
    .raw()
    .all();
  const attendees = db
    .prepare(
      `SELECT b.source, b.source_id, a.attendee_key, a.position, a.email, a.email_normalized, a.name,
              a.role, a.time_zone, a.no_show, a.cancelled, a.source_ref
       FROM attendees a JOIN bookings b ON b.id = a.booking_id
       ORDER BY b.source, b.source_id, a.attendee_key`,
    )
    .raw()
    .all();
  const contacts = db
    .prepare(
      `SELECT contact_id, is_company, first_name, middle_name, last_name, suffix, company_name,
              emails_json, custom_fields_json, search_text, last_update, content_hash, removed,
              first_seen_at, changed_at
       FROM contacts ORDER BY contact_id`,
    )
    .raw()
    .all();
  return {
    counts: {
      bookings: count('bookings'),
      attendees: count('attendees'),
      booking_history: count('booking_history'),
      contacts: count('contacts'),
      contact_emails: count('contact_emails'),
    },
    bookingsSha256: digest(bookings),
    attendeesSha256: digest(attendees),
    contactsSha256: digest(contacts),
  };
}

export type RunRow = Readonly<{
  id: number;
  source: string;
  state: string;
  error_code: string | null;
  error: string | null;
  requests: number;
}>;

/** The newest sync_runs row of a source. */
export function lastRunOf(core: Core, source: SyncSource): RunRow | undefined {
  return core.context
    .db()
    .prepare(
      'SELECT id, source, state, error_code, error, requests FROM sync_runs WHERE source = ? ORDER BY id DESC LIMIT 1',
    )
    .get(source) as RunRow | undefined;
}

/** The stored checkpoint of a source, as text (a failed run must not move it). */
export function checkpointOf(core: Core, source: SyncSource): string | null {
  const row = core.context
    .db()
    .prepare('SELECT checkpoint_json FROM sync_checkpoints WHERE source = ?')
    .get(source) as { checkpoint_json: string } | undefined;
  return row?.checkpoint_json ?? null;
}

/** A FaultPlan `match` for LACRM GetContacts calls. */
export function isGetContacts(req: SimRequest): boolean {
  return lacrmFunctionOf(req) === 'GetContacts';
}
