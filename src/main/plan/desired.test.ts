// The planner as a pure function: one CreateEvent per held meeting with a matched contact, nothing
// more once everything is written, follow-ups for pushed meetings that changed or stopped being
// held, review notes, mapped fields that never move a later review date back, requested contacts,
// and a reschedule keeping the event it already has. Generated practices check the invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desiredChanges } from './desired';
import type {
  ContactFacts,
  DesiredChange,
  FieldMap,
  LedgerRecord,
  Meeting,
  PlanContact,
  PlanInputs,
  PushedField,
} from './types';
import { inputsHash } from './values';

const NOW = new Date('2026-06-01T12:00:00Z');

function contact(contactId: string, fields: FieldMap = {}): PlanContact {
  return {
    contactId,
    name: `Client ${contactId}`,
    firstName: 'Client',
    lastName: contactId,
    removed: false,
    customFields: fields,
    lastSeenAt: '2026-05-31T00:00:00.000Z',
  };
}

function meeting(overrides: Partial<Meeting> & Pick<Meeting, 'sourceId'>): Meeting {
  return {
    bookingId: 1,
    source: 'calcom',
    chainSourceIds: [overrides.sourceId],
    title: 'Annual review',
    eventTypeName: 'Annual review',
    startUtc: '2026-03-14T15:00:00.000Z',
    endUtc: '2026-03-14T16:00:00.000Z',
    timeZone: 'America/Chicago',
    location: null,
    durationMinutes: 60,
    held: true,
    isReview: false,
    contactIds: ['1001'],
    ...overrides,
  };
}

function inputs(overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    now: NOW,
    settings: {
      notesEnabled: false,
      noteTemplate: 'Review with {client} on {date}.',
      fields: { lastReview: '', nextReviewDue: '', meetings12m: '' },
      zone: 'America/New_York',
    },
    meetings: [],
    contacts: new Map([['1001', contact('1001')]]),
    facts: new Map(),
    records: new Map(),
    pushedFields: new Map(),
    requests: [],
    existingEmailKeys: new Set(),
    knownKeys: new Set(),
    profileTag: 'abcd1234',
    ...overrides,
  };
}

/** What the ledger holds after every desired create/edit was pushed and every delete done. */
function applied(base: PlanInputs, changes: readonly DesiredChange[]): PlanInputs {
  const records = new Map(base.records);
  const pushed = new Map<string, Map<string, PushedField>>();
  for (const change of changes) {
    const type = change.key.startsWith('event:')
      ? 'event'
      : change.key.startsWith('note:')
        ? 'note'
        : 'contact';
    switch (change.kind) {
      case 'CreateEvent':
      case 'CreateNote':
      case 'CreateContact':
      case 'EditEvent':
      case 'EditNote':
        records.set(change.recordKey, {
          recordKey: change.recordKey,
          recordType: type,
          lacrmId: records.get(change.recordKey)?.lacrmId ?? `id-${change.key}`,
          contactId: change.contactId,
          written: change.after,
          deleted: false,
        } satisfies LedgerRecord);
        break;
      case 'DeleteEvent':
      case 'DeleteNote':
        records.set(change.recordKey, { ...records.get(change.recordKey)!, deleted: true });
        break;
      case 'EditContact': {
        const fields = new Map<string, PushedField>();
        for (const [label, value] of Object.entries(change.after))
          fields.set(label, { value, pushedAt: NOW.toISOString() });
        pushed.set(change.contactId!, fields);
        break;
      }
    }
  }
  return { ...base, records, pushedFields: pushed, knownKeys: new Set(records.keys()) };
}

describe('events', () => {
  it('creates an event with the booking’s offset, the contacts as attendees and a marker', () => {
    const [change, ...rest] = desiredChanges(
      inputs({ meetings: [meeting({ sourceId: 'uid-1', contactIds: ['1001', '1002'] })] }),
    );
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      key: 'event:calcom:uid-1',
      kind: 'CreateEvent',
      contactId: '1001',
      marker: '[cadence:calcom:uid-1]',
      before: {},
      after: {
        Name: 'Annual review',
        StartDate: '2026-03-14T10:00:00-05:00',
        EndDate: '2026-03-14T11:00:00-05:00',
        Location: null,
        Attendees: ['1001', '1002'],
      },
    });
    expect(change!.after.Description).toBe(
      'Annual review, booked through Cal.com. Logged by Cadence.\n[cadence:calcom:uid-1]',
    );
  });

  it("writes a scheduler's internal location token as the service's name, a link as it is", () => {
    const [meet, link] = desiredChanges(
      inputs({
        meetings: [
          meeting({ sourceId: 'meet', location: 'integrations:google:meet' }),
          meeting({ sourceId: 'link', bookingId: 2, location: 'https://zoom.us/j/123' }),
        ],
      }),
    );
    expect(meet!.after.Location).toBe('Google Meet');
    expect(link!.after.Location).toBe('https://zoom.us/j/123');
  });

  it('proposes nothing for meetings not held or without a matched contact', () => {
    expect(
      desiredChanges(
        inputs({
          meetings: [
            meeting({ sourceId: 'a', held: false }),
            meeting({ sourceId: 'b', contactIds: [] }),
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('falls back to the advisor’s zone for a booking without a valid zone', () => {
    const [change] = desiredChanges(
      inputs({ meetings: [meeting({ sourceId: 'x', timeZone: 'Mars/Olympus' })] }),
    );
    expect(change!.after.StartDate).toBe('2026-03-14T11:00:00-04:00');
  });

  it('edits a pushed event that changed and deletes one no longer held', () => {
    const base = inputs({ meetings: [meeting({ sourceId: 'm1' }), meeting({ sourceId: 'm2' })] });
    const pushed = applied(base, desiredChanges(base));
    const moved = {
      ...pushed,
      meetings: [
        meeting({ sourceId: 'm1', title: 'Annual review (rescheduled)' }),
        meeting({ sourceId: 'm2', held: false }),
      ],
    };
    const changes = desiredChanges(moved);
    expect(changes.map((c) => [c.kind, c.key])).toEqual([
      ['EditEvent', 'event:calcom:m1'],
      ['DeleteEvent', 'event:calcom:m2'],
    ]);
    expect(changes[0]).toMatchObject({
      targetId: 'id-event:calcom:m1',
      before: { Name: 'Annual review' },
      after: { Name: 'Annual review (rescheduled)' },
    });
    expect(changes[1]).toMatchObject({ targetId: 'id-event:calcom:m2', after: {} });
  });

  it('deletes the event of a meeting that left the store', () => {
    const base = inputs({ meetings: [meeting({ sourceId: 'gone' })] });
    const pushed = applied(base, desiredChanges(base));
    expect(desiredChanges({ ...pushed, meetings: [] })).toMatchObject([
      { kind: 'DeleteEvent', key: 'event:calcom:gone', bookingSource: 'calcom' },
    ]);
  });

  it('keeps the key and marker of the chain’s first booking through a reschedule', () => {
    const base = inputs({ meetings: [meeting({ sourceId: 'old' })] });
    const pushed = applied(base, desiredChanges(base));
    const rescheduled = desiredChanges({
      ...pushed,
      meetings: [
        meeting({
          sourceId: 'new',
          chainSourceIds: ['old', 'new'],
          startUtc: '2026-03-15T15:00:00.000Z',
          endUtc: '2026-03-15T16:00:00.000Z',
        }),
      ],
    });
    expect(rescheduled).toMatchObject([
      {
        kind: 'EditEvent',
        key: 'event:calcom:old',
        bookingSourceId: 'new',
        marker: '[cadence:calcom:old]',
      },
    ]);
  });
});

describe('review notes', () => {
  const noteInputs = (overrides: Partial<PlanInputs> = {}) =>
    inputs({
      settings: { ...inputs().settings, notesEnabled: true },
      meetings: [meeting({ sourceId: 'r1', isReview: true })],
      ...overrides,
    });

  it('writes the template with the marker on its own line, per client', () => {
    const notes = desiredChanges(noteInputs()).filter((c) => c.kind === 'CreateNote');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.after).toEqual({
      ContactId: '1001',
      DateDisplayedInHistory: '2026-03-14T10:00:00-05:00',
      Note: 'Review with Client 1001 on March 14, 2026.\n[cadence:calcom:r1]',
    });
  });

  it('leaves pushed notes alone when notes are turned off, deletes them when not a review', () => {
    const base = noteInputs();
    const pushed = applied(base, desiredChanges(base));
    const off = { ...pushed, settings: { ...pushed.settings, notesEnabled: false } };
    expect(desiredChanges(off)).toEqual([]);
    const reclassified = { ...pushed, meetings: [meeting({ sourceId: 'r1', isReview: false })] };
    expect(desiredChanges(reclassified).map((c) => c.kind)).toEqual(['DeleteNote']);
  });
});

describe('mapped fields', () => {
  const facts = (f: Partial<ContactFacts>): Map<string, ContactFacts> =>
    new Map([
      ['1001', { lastReview: '2026-03-14', nextReviewDue: '2027-03-14', meetings12m: 3, ...f }],
    ]);
  const fields = { lastReview: 'Last review', nextReviewDue: 'Next due', meetings12m: 'Meetings' };
  const fieldInputs = (customFields: FieldMap, f: Partial<ContactFacts> = {}) =>
    inputs({
      settings: { ...inputs().settings, fields },
      contacts: new Map([['1001', contact('1001', customFields)]]),
      facts: facts(f),
    });

  it('proposes only the values that differ, before → after', () => {
    const [change, ...rest] = desiredChanges(
      fieldInputs({ 'Last review': '2025-03-01', 'Next due': '', Meetings: 3 }),
    );
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      key: 'fields:1001',
      kind: 'EditContact',
      targetId: '1001',
      before: { 'Last review': '2025-03-01', 'Next due': null },
      after: { 'Last review': '2026-03-14', 'Next due': '2027-03-14' },
    });
  });

  it('never moves a later review date in LACRM back, and writes nothing it does not know', () => {
    expect(
      desiredChanges(fieldInputs({ 'Last review': '2026-05-01', 'Next due': null, Meetings: 3 })),
    ).toEqual([]);
    expect(
      desiredChanges(
        fieldInputs(
          { 'Last review': null, Meetings: 0 },
          { lastReview: null, nextReviewDue: null, meetings12m: 0 },
        ),
      ),
    ).toEqual([]);
  });

  it('counts Cadence’s own write as current until the contact refresh sees the record again', () => {
    const base = fieldInputs({ 'Last review': '2025-03-01', 'Next due': null, Meetings: 1 });
    const pushed = applied(base, desiredChanges(base));
    expect(desiredChanges(pushed)).toEqual([]);
    // The refresh saw the record after the push, and someone had cleared the field: propose again.
    const refreshed = {
      ...pushed,
      contacts: new Map([
        [
          '1001',
          {
            ...contact('1001', { 'Last review': null, 'Next due': '2027-03-14', Meetings: 3 }),
            lastSeenAt: '2026-07-01T00:00:00.000Z',
          },
        ],
      ]),
    };
    expect(desiredChanges(refreshed)).toMatchObject([{ after: { 'Last review': '2026-03-14' } }]);
  });
});

describe('requested contacts', () => {
  it('creates each requested contact once, unless one with that address exists by now', () => {
    const request = {
      id: 7,
      firstName: 'Dana',
      lastName: 'Example',
      email: 'dana@x.example',
      emailKey: 'dana@x.example',
    };
    const [change] = desiredChanges(inputs({ requests: [request] }));
    expect(change).toMatchObject({
      key: 'contact:request:7',
      kind: 'CreateContact',
      contactId: null,
      requestId: 7,
      marker: '[cadence:contact:abcd1234-7]',
      after: { FirstName: 'Dana', LastName: 'Example', Email: 'dana@x.example' },
    });
    expect(change!.after['Background Info']).toContain('[cadence:contact:abcd1234-7]');
    expect(
      desiredChanges(
        inputs({ requests: [request], existingEmailKeys: new Set(['dana@x.example']) }),
      ),
    ).toEqual([]);
    const pushed = applied(inputs({ requests: [request] }), [change!]);
    expect(desiredChanges(pushed)).toEqual([]);
  });
});

describe('invariants over generated practices', () => {
  const meetingArb = fc.record({
    held: fc.boolean(),
    isReview: fc.boolean(),
    contactIds: fc.uniqueArray(fc.constantFrom('1001', '1002', '1003'), { maxLength: 3 }),
    day: fc.integer({ min: 1, max: 28 }),
    zone: fc.constantFrom('America/Chicago', 'Europe/Berlin', null, 'Asia/Kolkata'),
  });
  const practiceArb = fc.record({
    meetings: fc.array(meetingArb, { maxLength: 25 }),
    notesEnabled: fc.boolean(),
  });

  function build(p: {
    meetings: (typeof meetingArb extends fc.Arbitrary<infer T> ? T : never)[];
    notesEnabled: boolean;
  }) {
    return inputs({
      settings: { ...inputs().settings, notesEnabled: p.notesEnabled },
      contacts: new Map(['1001', '1002', '1003'].map((id) => [id, contact(id)])),
      meetings: p.meetings.map((m, i) =>
        meeting({
          sourceId: `s${i}`,
          bookingId: i + 1,
          held: m.held,
          isReview: m.isReview,
          contactIds: m.contactIds,
          timeZone: m.zone,
          startUtc: `2026-02-${String(m.day).padStart(2, '0')}T15:00:00.000Z`,
          endUtc: `2026-02-${String(m.day).padStart(2, '0')}T15:30:00.000Z`,
        }),
      ),
    });
  }

  it('one create per held matched meeting, unique keys and markers, nothing left once written', () => {
    fc.assert(
      fc.property(practiceArb, (p) => {
        const base = build(p);
        const changes = desiredChanges(base);
        const expected = p.meetings.filter((m) => m.held && m.contactIds.length > 0).length;
        expect(changes.filter((c) => c.kind === 'CreateEvent')).toHaveLength(expected);
        expect(new Set(changes.map((c) => c.key)).size).toBe(changes.length);
        const markers = changes.filter((c) => c.kind === 'CreateEvent').map((c) => c.marker);
        expect(new Set(markers).size).toBe(markers.length);
        const notes = p.notesEnabled
          ? p.meetings
              .filter((m) => m.held && m.isReview)
              .reduce((n, m) => n + m.contactIds.length, 0)
          : 0;
        expect(changes.filter((c) => c.kind === 'CreateNote')).toHaveLength(notes);
        // Planning is a function of its inputs (same hashes), and applying it leaves nothing to do.
        expect(desiredChanges(base).map(inputsHash)).toEqual(changes.map(inputsHash));
        expect(desiredChanges(applied(base, changes))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
