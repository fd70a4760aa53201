// Invariants of the demo practice generator: size, determinism per seed, a truth entry for every
// attendee on every booking (and none for anyone else), truth that agrees with the CRM, the variety
// of statuses and name/address variants the matcher and the sync must cope with, consistent
// reschedule links, nothing dated after `now`, example domains only, exact scale on request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LacrmContact, LacrmName } from '../crm/lacrm/types';
import {
  emailVariants,
  generatePractice,
  nameVariants,
  truthKey,
  type MeetingOutcome,
  type Practice,
} from './practice';

const practice = generatePractice();
const nowMs = Date.parse(practice.now);

/** Every (source, booking, address) an attendee appears under, read from the API shapes. */
function attendeeKeys(p: Practice): string[] {
  const keys: string[] = [];
  for (const b of p.calcom.bookings)
    for (const a of b.attendees) keys.push(truthKey('calcom', b.uid, a.email));
  for (const i of p.calendly.invitees) keys.push(truthKey('calendly', i.event, i.email));
  for (const e of p.calendly.events)
    for (const g of e.event_guests) keys.push(truthKey('calendly', e.uri, g.email));
  for (const b of p.tidycal.bookings) keys.push(truthKey('tidycal', String(b.id), b.contact.email));
  return keys;
}

function truthKeys(p: Practice): string[] {
  return p.truth.attendees.map((a) => truthKey(a.source, a.bookingId, a.email));
}

function checkTruthCoversAttendees(p: Practice): void {
  const fromData = attendeeKeys(p);
  const fromTruth = truthKeys(p);
  expect(new Set(fromData).size).toBe(fromData.length);
  expect(new Set(fromTruth).size).toBe(fromTruth.length);
  expect([...fromTruth].sort()).toEqual([...fromData].sort());
}

function checkCounts(p: Practice): void {
  expect(p.stats.bookings.calcom).toBe(p.calcom.bookings.length);
  expect(p.stats.bookings.calendly).toBe(p.calendly.events.length);
  expect(p.stats.bookings.tidycal).toBe(p.tidycal.bookings.length);
  expect(p.stats.bookings.total).toBe(
    p.calcom.bookings.length + p.calendly.events.length + p.tidycal.bookings.length,
  );
  const recorded = p.truth.meetings.reduce((sum, m) => sum + m.bookingIds.length, 0);
  expect(recorded).toBe(p.stats.bookings.total);
  const people = p.lacrm.contacts.filter((c) => !c.IsCompany);
  expect(people).toHaveLength(p.stats.contacts);
}

const allowedDomain = (email: string) => {
  const domain = email.trim().toLowerCase().split('@')[1] ?? '';
  return domain === 'gmail.com' || domain.endsWith('.example') || domain.endsWith('.test');
};

const emailsOf = (contact: LacrmContact) => contact.Email.map((e) => e.Text);

describe('generatePractice: shape and size', () => {
  it('makes about 150 clients and two years of meetings ending around now, over all three sources', () => {
    expect(practice.stats.clients).toBe(150);
    expect(practice.stats.contacts).toBeGreaterThan(150);
    expect(practice.stats.bookings.total).toBeGreaterThan(600);
    for (const source of ['calcom', 'calendly', 'tidycal'] as const)
      expect(practice.stats.bookings[source]).toBeGreaterThan(50);
    const starts = practice.truth.meetings.map((m) => Date.parse(m.start));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.parse(practice.from));
    expect(Math.max(...starts)).toBeLessThanOrEqual(Date.parse(practice.to));
    expect(Date.parse(practice.to) - nowMs).toBeLessThan(60 * 86_400_000);
    expect(nowMs - Date.parse(practice.from)).toBeCloseTo(2 * 365.25 * 86_400_000, -7);
    expect(starts.some((s) => s > nowMs)).toBe(true);
    checkCounts(practice);
  });

  it('is deterministic for a seed and different for another', () => {
    expect(JSON.stringify(generatePractice({ seed: 1 }))).toBe(JSON.stringify(practice));
    const other = generatePractice({ seed: 2 });
    expect(other.lacrm.contacts[0]!.ContactId).not.toBe(practice.lacrm.contacts[0]!.ContactId);
    expect(other.calcom.bookings[0]!.uid).not.toBe(practice.calcom.bookings[0]!.uid);
  });

  it('hits an exact booking count when asked, and refuses nonsense options', () => {
    for (const bookings of [0, 1, 37, 1500]) {
      const p = generatePractice({ seed: 5, clients: 40, bookings });
      expect(p.stats.bookings.total).toBe(bookings);
      checkCounts(p);
      checkTruthCoversAttendees(p);
    }
    expect(() => generatePractice({ bookings: -1 })).toThrow(/bookings/);
    expect(() => generatePractice({ years: 0 })).toThrow(/years/);
    expect(() => generatePractice({ clients: 10, contacts: 5 })).toThrow(/contacts/);
    expect(() => generatePractice({ now: 'someday' })).toThrow(/now/);
  });

  it('generates the benchmark scale (20k contacts, 100k bookings, 5 years)', () => {
    const started = performance.now();
    const big = generatePractice({ contacts: 20_000, bookings: 100_000, years: 5 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`generatePractice benchmark scale: ${seconds.toFixed(2)} s`, big.stats);
    expect(big.stats.contacts).toBe(20_000);
    expect(big.stats.clients).toBe(16_000);
    expect(big.stats.bookings.total).toBe(100_000);
    expect(nowMs - Date.parse(big.from)).toBeCloseTo(5 * 365.25 * 86_400_000, -7);
  });
});

describe('generatePractice: ground truth', () => {
  it('has exactly one truth entry for every attendee and guest on every booking', () => {
    checkTruthCoversAttendees(practice);
  });

  it('agrees with the CRM: contacts exist, clients are clients, strangers are not in it', () => {
    const byId = new Map(practice.lacrm.contacts.map((c) => [c.ContactId, c]));
    const advisorEmails = new Set(practice.advisor.emails.all);
    for (const a of practice.truth.attendees) {
      switch (a.kind) {
        case 'client':
          expect(byId.get(a.contactId!)?.['Contact type']).toBe('Client');
          break;
        case 'crm_non_client':
          expect(['Prospect', 'Professional', 'Family']).toContain(
            byId.get(a.contactId!)?.['Contact type'],
          );
          break;
        case 'prospect':
        case 'spouse_not_in_crm':
          expect(a.contactId).toBeNull();
          expect(a.emailVariant).toBe('not_in_crm');
          break;
        case 'advisor':
          expect(a.contactId).toBeNull();
          expect(advisorEmails.has(a.email)).toBe(true);
          break;
      }
    }
  });

  it('labels addresses truthfully against the contact’s CRM emails', () => {
    const byId = new Map(practice.lacrm.contacts.map((c) => [c.ContactId, c]));
    for (const a of practice.truth.attendees) {
      if (a.contactId === null) continue;
      const emails = emailsOf(byId.get(a.contactId)!);
      const lower = emails.map((e) => e.toLowerCase());
      switch (a.emailVariant) {
        case 'crm_work':
        case 'crm_personal':
        case 'shared_family':
          expect(emails).toContain(a.email);
          break;
        case 'case_noise':
          expect(emails).not.toContain(a.email);
          expect(lower).toContain(a.email.toLowerCase());
          break;
        case 'plus_address': {
          expect(lower).not.toContain(a.email.toLowerCase());
          expect(lower).toContain(a.email.toLowerCase().replace(/\+[^@]*@/, '@'));
          break;
        }
        case 'gmail_dots': {
          expect(a.email.endsWith('@gmail.com')).toBe(true);
          const undotted = (e: string) => e.toLowerCase().split('@')[0]!.replace(/\./g, '');
          expect(lower).not.toContain(a.email.toLowerCase());
          expect(lower.map(undotted)).toContain(undotted(a.email));
          break;
        }
        case 'unlisted_personal':
          expect(lower).not.toContain(a.email.toLowerCase());
          break;
        case 'not_in_crm':
        case 'advisor_own':
          throw new Error(`a CRM contact cannot be ${a.emailVariant}`);
      }
    }
  });

  it('shows a CRM contact’s name exactly when it reports no name variant', () => {
    const byId = new Map(practice.lacrm.contacts.map((c) => [c.ContactId, c]));
    let checked = 0;
    for (const a of practice.truth.attendees) {
      if (a.contactId === null || a.nameVariants.length > 0) continue;
      const name = byId.get(a.contactId)!.Name as LacrmName;
      expect(a.name).toBe(`${name.FirstName} ${name.LastName}`);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('records meetings whose records all exist, with the contacts they were with', () => {
    const ids = new Set([
      ...practice.calcom.bookings.map((b) => b.uid),
      ...practice.calendly.events.map((e) => e.uri),
      ...practice.tidycal.bookings.map((b) => String(b.id)),
    ]);
    const contacts = new Set(practice.lacrm.contacts.map((c) => c.ContactId));
    for (const m of practice.truth.meetings) {
      for (const id of m.bookingIds) expect(ids.has(id)).toBe(true);
      for (const id of m.contactIds) expect(contacts.has(id)).toBe(true);
      expect(m.category).toBe(
        ['portfolio_review', 'annual_review', 'quarterly_review'].includes(m.kind)
          ? 'portfolio_review'
          : 'general',
      );
    }
  });
});

describe('generatePractice: variety', () => {
  it('covers every status, quirk and variant the sync and the matcher must handle', () => {
    const c = practice.calcom.bookings;
    expect(new Set(c.map((b) => b.status))).toEqual(
      new Set(['accepted', 'pending', 'cancelled', 'rejected', 'awaiting_host']),
    );
    expect(c.some((b) => b.eventType === null)).toBe(true);
    expect(c.some((b) => b.location.startsWith('integrations:'))).toBe(true);
    expect(c.some((b) => b.updatedAt === null) && c.some((b) => b.updatedAt !== null)).toBe(true);
    expect(c.some((b) => b.cancellationReason === '' && b.status === 'cancelled')).toBe(true);
    expect(c.some((b) => b.attendees.some((a) => a.absent))).toBe(true);
    expect(c.some((b) => (b.guests?.length ?? 0) > 0)).toBe(true);
    expect(c.some((b) => typeof b.bookingFieldsResponses.name === 'object')).toBe(true);
    expect(c.some((b) => b.recurringBookingUid !== undefined)).toBe(true);
    expect(c.some((b) => b.hosts[0]!.email !== practice.advisor.emails.calcom)).toBe(true);

    const events = practice.calendly.events;
    const invitees = practice.calendly.invitees;
    expect(new Set(events.map((e) => e.status))).toEqual(new Set(['active', 'canceled']));
    expect(events.some((e) => e.event_guests.length > 0)).toBe(true);
    expect(
      events.some(
        (e) => e.invitees_counter.limit > 1 && e.invitees_counter.active < e.invitees_counter.total,
      ),
    ).toBe(true);
    expect(invitees.some((i) => i.no_show !== null)).toBe(true);
    expect(invitees.some((i) => i.rescheduled && i.new_invitee !== null)).toBe(true);
    expect(invitees.some((i) => i.first_name !== null)).toBe(true);

    const t = practice.tidycal.bookings;
    expect(t.some((b) => b.cancelled_at !== null) && t.some((b) => b.cancelled_at === null)).toBe(
      true,
    );
    expect(
      t.some((b) => b.booking_type === undefined) && t.some((b) => b.booking_type !== undefined),
    ).toBe(true);

    const seenNames = new Set(practice.truth.attendees.flatMap((a) => a.nameVariants));
    // 'shared_contact_name' needs a couple sharing an address on TidyCal: present at scale only.
    for (const v of nameVariants.filter((n) => n !== 'shared_contact_name'))
      expect(seenNames, v).toContain(v);
    const seenEmails = new Set(practice.truth.attendees.map((a) => a.emailVariant));
    for (const v of emailVariants) expect(seenEmails, v).toContain(v);
    expect(new Set(practice.truth.attendees.map((a) => a.kind))).toEqual(
      new Set(['client', 'crm_non_client', 'prospect', 'spouse_not_in_crm', 'advisor']),
    );
    const outcomes: MeetingOutcome[] = [
      'completed',
      'upcoming',
      'cancelled',
      'no_show',
      'rejected',
      'pending',
      'expired_pending',
      'awaiting_host',
    ];
    expect(new Set(practice.truth.meetings.map((m) => m.outcome))).toEqual(new Set(outcomes));
    expect(new Set(practice.truth.meetings.map((m) => m.rescheduled))).toEqual(
      new Set(['no', 'new_booking', 'in_place']),
    );
    expect(new Set(practice.truth.meetings.map((m) => m.category))).toEqual(
      new Set(['portfolio_review', 'general']),
    );

    const tiers = new Set(practice.lacrm.contacts.map((x) => x['Client tier']));
    expect(tiers).toEqual(new Set(['Top', 'Standard', '', undefined]));
    expect(practice.lacrm.contacts.some((x) => x['Last portfolio review'] === '')).toBe(true);
    expect(practice.lacrm.contacts.some((x) => x.IsCompany)).toBe(true);
    const families = practice.lacrm.contacts.flatMap(emailsOf);
    expect(families.length).toBeGreaterThan(new Set(families).size); // a shared family address
  });

  it('links reschedules both ways', () => {
    const byUid = new Map(practice.calcom.bookings.map((b) => [b.uid, b]));
    let chains = 0;
    for (const b of practice.calcom.bookings) {
      if (b.rescheduledToUid === undefined) continue;
      chains += 1;
      expect(b.status).toBe('cancelled');
      expect(byUid.get(b.rescheduledToUid)?.rescheduledFromUid).toBe(b.uid);
    }
    expect(chains).toBeGreaterThan(0);
    const invitees = new Map(practice.calendly.invitees.map((i) => [i.uri, i]));
    const events = new Map(practice.calendly.events.map((e) => [e.uri, e]));
    for (const i of practice.calendly.invitees) {
      if (!i.rescheduled) continue;
      const next = invitees.get(i.new_invitee!)!;
      expect(next.old_invitee).toBe(i.uri);
      expect(events.get(i.event)!.status).toBe('canceled');
      expect(events.get(next.event)!.calendar_event).toEqual(events.get(i.event)!.calendar_event);
    }
  });
});

describe('generatePractice: hygiene', () => {
  it('dates nothing after now, and keeps each API’s timestamp format', () => {
    for (const b of practice.calcom.bookings) {
      expect(Date.parse(b.createdAt)).toBeLessThanOrEqual(nowMs);
      if (b.updatedAt !== null) expect(Date.parse(b.updatedAt)).toBeLessThanOrEqual(nowMs);
      expect(Date.parse(b.createdAt)).toBeLessThan(Date.parse(b.start));
      expect(b.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    }
    const micro = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
    for (const e of practice.calendly.events) {
      expect(e.start_time).toMatch(micro);
      expect(Date.parse(e.updated_at)).toBeLessThanOrEqual(nowMs);
      expect(Date.parse(e.created_at)).toBeLessThanOrEqual(Date.parse(e.updated_at));
    }
    for (const i of practice.calendly.invitees)
      if (i.no_show) expect(Date.parse(i.no_show.created_at)).toBeLessThanOrEqual(nowMs);
    for (const b of practice.tidycal.bookings) {
      expect(b.starts_at).toMatch(micro);
      expect(Date.parse(b.updated_at)).toBeLessThanOrEqual(nowMs);
      if (b.cancelled_at) expect(Date.parse(b.cancelled_at)).toBeLessThanOrEqual(nowMs);
    }
    for (const contact of practice.lacrm.contacts) {
      expect(contact.DateCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      expect(Date.parse(contact.DateCreated)).toBeLessThanOrEqual(
        Date.parse(contact.LastUpdate) + 86_400_000,
      );
      expect(Date.parse(contact.LastUpdate)).toBeLessThanOrEqual(nowMs);
    }
  });

  it('uses 31-digit string ContactIds and example domains (or invented gmail.com local parts) only', () => {
    const ids = practice.lacrm.contacts.map((c) => c.ContactId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{31}$/);
    const addresses = [
      ...practice.lacrm.contacts.flatMap(emailsOf),
      ...practice.truth.attendees.map((a) => a.email),
    ];
    for (const email of addresses) {
      expect(allowedDomain(email), email).toBe(true);
      if (email.toLowerCase().endsWith('@gmail.com')) expect(email.toLowerCase()).toMatch(/z\.?z/);
    }
  });

  it('keeps its invariants for any seed and size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 5, max: 40 }),
        fc.double({ min: 0.25, max: 3, noNaN: true }),
        (seed, clients, years) => {
          const p = generatePractice({ seed, clients, years });
          expect(p.stats.clients).toBe(clients);
          checkCounts(p);
          checkTruthCoversAttendees(p);
        },
      ),
      { numRuns: 12 },
    );
  });
});
