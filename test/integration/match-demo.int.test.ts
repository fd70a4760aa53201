// Matching measured against the demo practice's ground truth, end to end: the four simulators,
// Sync now, the contact refresh and the matching run. No automatic match is wrong; exact
// addresses are automatic; shared addresses and strangers never are; decisions made from the
// queue hold through the next sync, which pulls contacts with a single request.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { generatePractice, truthKey, type AttendeeTruth } from '../../src/main/demo/practice';
import { DEMO_SEED, startDemoWorld } from '../../src/main/demo/start-world';
import type { DemoWorld } from '../../src/main/demo/world';
import { matchExportRows, type MatchExportRow } from '../../src/main/pipeline/export';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { SecretName } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';

const NOW = new Date('2026-11-20T15:00:00Z');

let world: DemoWorld | null = null;
let core: Core | null = null;
afterEach(async () => {
  if (core) {
    await core.context.secrets.delete(`${core.context.profile.profileId}:db-key`);
    for (const name of ['calcom', 'calendly', 'tidycal', 'lacrm'] as const)
      await core.context.secrets.delete(core.context.secretAccount(name));
    core.close();
  }
  core = null;
  await world?.close();
  world = null;
});

async function demoCore(): Promise<Core> {
  world = await startDemoWorld({ now: NOW, seed: DEMO_SEED });
  core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    clock: () => NOW,
    net: {
      requestsPerMinute: {
        calcom: Number.POSITIVE_INFINITY,
        calendly: Number.POSITIVE_INFINITY,
        tidycal: Number.POSITIVE_INFINITY,
        lacrm: Number.POSITIVE_INFINITY,
      },
      timeoutMs: 5000,
    },
  });
  await core.call('settings:set', world.settings);
  for (const [name, key] of Object.entries(world.keys))
    await core.call('secrets:set', { name: name as SecretName, value: key });
  return core;
}

function judged(c: Core, truth: ReadonlyMap<string, AttendeeTruth>) {
  const rows = [...matchExportRows(c.context.db(), c.context.sync.ownEmails())];
  return rows.map((row) => {
    const t = truth.get(truthKey(row.source as never, row.bookingId, row.attendeeEmail ?? ''));
    if (!t) throw new Error(`an exported attendee the practice does not have: ${row.bookingId}`);
    return { row, truth: t };
  });
}

describe('matching the demo practice', () => {
  it('makes no wrong automatic match and leaves shared and unknown addresses to the advisor', async () => {
    const c = await demoCore();
    const practice = generatePractice({ seed: DEMO_SEED, now: NOW });
    const truth = new Map(
      practice.truth.attendees.map((a) => [truthKey(a.source, a.bookingId, a.email), a]),
    );
    const progress: unknown[] = [];
    const off = c.subscribe((event, payload) => {
      if (event === 'match:progress') progress.push(payload);
    });
    const outcome = await c.call('sync:run', { sources: 'all' });
    off();
    // The matching after the sync said how far it was: every booking, in one batch here.
    const bookings = c.context.db().prepare('SELECT count(*) FROM bookings').pluck().get();
    expect(progress).toEqual([{ done: bookings, total: bookings }]);
    expect(
      outcome.results.map((r) => [r.source, r.state, r.error?.message ?? null]).sort(),
    ).toEqual([
      ['calcom', 'ok', null],
      ['calendly', 'ok', null],
      ['lacrm', 'ok', null],
      ['tidycal', 'ok', null],
    ]);
    const lacrm = outcome.results.find((r) => r.source === 'lacrm')!;
    expect(lacrm.fetched).toBe(practice.lacrm.contacts.length);

    const all = judged(c, truth);
    // Every attendee but the advisor's own addresses is exported, once.
    const attendees = practice.truth.attendees.filter((a) => a.kind !== 'advisor');
    expect(all).toHaveLength(attendees.length);

    const wrongAuto = all.filter(
      ({ row, truth: t }) => row.state === 'auto' && row.contactId !== t.contactId,
    );
    expect(wrongAuto.map(({ row }) => `${row.bookingId} ${row.reason}`)).toEqual([]);
    const autoOf = (variants: readonly string[]) =>
      all.filter(({ truth: t }) => variants.includes(t.emailVariant));
    for (const { row, truth: t } of autoOf(['crm_work', 'case_noise', 'gmail_dots'])) {
      expect([row.state, row.contactId], `${t.emailVariant} ${row.reason}`).toEqual([
        'auto',
        t.contactId,
      ]);
    }
    for (const { row } of autoOf(['shared_family', 'not_in_crm']))
      expect(row.state).not.toBe('auto');
    const suggested = all.filter(({ row }) => row.state === 'suggested');
    const rightFirst = suggested.filter(({ row, truth: t }) => row.contactId === t.contactId);
    expect(rightFirst.length / suggested.length).toBeGreaterThanOrEqual(0.9);
    const auto = all.filter(({ row }) => row.state === 'auto').length;
    expect(auto / all.length).toBeGreaterThan(0.4);

    // The booking's detail panel says who each attendee is in the CRM, as the export does.
    const contactName = new Map(
      practice.lacrm.contacts.map((contact) => [
        contact.ContactId,
        typeof contact.Name === 'string'
          ? contact.Name
          : [contact.Name.FirstName, contact.Name.LastName].filter(Boolean).join(' '),
      ]),
    );
    const bookingIdOf = (source: string, sourceId: string) =>
      c.context
        .db()
        .prepare('SELECT id FROM bookings WHERE source = ? AND source_id = ?')
        .pluck()
        .get(source, sourceId) as number;
    for (const state of ['auto', 'suggested', 'unmatched'] as const) {
      const { row } = all.find(({ row: r }) => r.state === state)!;
      const matches = await c.call('matches:forBooking', {
        bookingId: bookingIdOf(row.source, row.bookingId),
      });
      const match = matches.find((m) => m.email === row.attendeeEmail)!;
      expect(match, state).toMatchObject({ state, reason: row.reason });
      // Matched or suggested: the contact; no match: the closest candidate, as the export ranks it.
      const shown = state === 'unmatched' ? match.closest : match.contact;
      expect(shown?.contactId ?? null, state).toBe(row.contactId ?? row.candidates[0] ?? null);
      if (shown) {
        expect(shown.name).toContain(contactName.get(shown.contactId)!.split(' ').at(-1));
      }
      // What waits for the advisor links to its review item.
      expect(match.reviewKey === null, state).toBe(state === 'auto');
    }
  });

  it('keeps queue decisions through the next sync, which refreshes contacts in one request', async () => {
    const c = await demoCore();
    const practice = generatePractice({ seed: DEMO_SEED, now: NOW });
    const truth = new Map(
      practice.truth.attendees.map((a) => [truthKey(a.source, a.bookingId, a.email), a]),
    );
    await c.call('sync:run', { sources: 'all' });
    const queue = await c.call('review:list', { limit: 2000 });
    const suggestions = queue.items.filter((i) => i.kind === 'suggested').slice(0, 12);
    expect(suggestions.length).toBeGreaterThan(5);
    for (const item of suggestions) {
      const t = truth.get(truthKey(item.booking.source, item.booking.sourceId, item.email ?? ''))!;
      if (t.contactId !== null && t.contactId === item.candidates[0]?.contactId) {
        await c.call('matches:confirm', { attendeeId: item.attendeeId, contactId: t.contactId });
      } else {
        await c.call('matches:reject', { attendeeId: item.attendeeId });
      }
    }
    const settled = (rows: readonly MatchExportRow[]) =>
      rows
        .filter((r) => r.state === 'confirmed' || r.state === 'rejected')
        .map((r) => `${r.bookingId}|${r.attendeeEmail}|${r.state}|${r.contactId}`)
        .sort();
    const before = settled([...matchExportRows(c.context.db(), c.context.sync.ownEmails())]);
    expect(before.length).toBeGreaterThanOrEqual(suggestions.length);

    const again = await c.call('sync:run', { sources: 'all' });
    const lacrm = again.results.find((r) => r.source === 'lacrm')!;
    expect(lacrm).toMatchObject({ state: 'ok', requests: 1, created: 0, updated: 0 });
    const after = [...matchExportRows(c.context.db(), c.context.sync.ownEmails())];
    expect(settled(after)).toEqual(before);
    const remaining = await c.call('review:list', { limit: 2000 });
    expect(remaining.total).toBeLessThan(queue.total);
    for (const item of suggestions)
      expect(remaining.items.some((i) => i.key === item.key && i.kind === 'suggested')).toBe(false);
  });
});
