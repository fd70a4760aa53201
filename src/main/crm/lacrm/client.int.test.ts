// The LACRM client against the simulator over real HTTP: auth failures in words an advisor
// understands, paging, incremental pulls, write round trips, omitted-vs-null, schema mismatches
// that name the field, and lost answers to creates surfacing instead of being retried blindly.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startLacrmSim,
  onLacrmFunction,
  type LacrmSim,
  type LacrmSimOptions,
} from '../../demo/sim/lacrm';
import { HttpClient } from '../../net/http';
import { AuthError, ConnectionError, HttpStatusError, SchemaMismatchError } from '../../net/errors';
import { RateBudget } from '../../net/rate-budget';
import {
  contactAttendees,
  createLacrmClient,
  createOutcomeUnknown,
  formatLacrmDateTime,
  LacrmError,
  normalizeContact,
  type LacrmClient,
} from './client';
import type { LacrmContact } from './types';

const T0 = Date.parse('2026-01-05T15:00:00Z');
const JANE_ID = '3862515354732873260518907940136';

function jane(): LacrmContact {
  return {
    ContactId: JANE_ID,
    IsCompany: false,
    AssignedTo: 483823,
    CompanyId: null,
    Name: { Salutation: '', FirstName: 'Jane', MiddleName: '', LastName: 'Doe', Suffix: '' },
    Email: [
      { Text: 'jane@acme.example', Type: 'Work' },
      { Text: 'jane.doe@mail.example', Type: 'Personal' },
    ],
    Phone: [{ Text: '555-0100', Type: 'Mobile' }],
    'Company Name': '',
    'Job Title': 'CFO',
    'Background Info': '',
    'Last portfolio review': '2025-03-14',
    'Next review due': '2025-09-14',
    DateCreated: '2023-01-05T09:12:00-06:00',
    LastUpdate: '2025-03-14T11:05:00-05:00',
  };
}

let sim: LacrmSim | null = null;
let clock = T0;

type Setup = Readonly<{ sim: LacrmSim; client: LacrmClient; http: HttpClient }>;

async function setup(
  simOptions: LacrmSimOptions = {},
  clientOptions: { apiKey?: string; pageSize?: number; timeoutMs?: number } = {},
): Promise<Setup> {
  clock = T0;
  sim = await startLacrmSim({ now: () => clock, contacts: [jane()], ...simOptions });
  const http = new HttpClient({
    source: 'lacrm',
    budget: new RateBudget({ limitPerMinute: Number.POSITIVE_INFINITY }),
    timeoutMs: clientOptions.timeoutMs ?? 2_000,
    maxRetries: 3,
    baseBackoffMs: 1,
    maxBackoffMs: 5,
  });
  const client = createLacrmClient({
    http,
    baseUrl: sim.baseUrl,
    apiKey: clientOptions.apiKey ?? sim.apiKey,
    pageSize: clientOptions.pageSize,
  });
  return { sim, client, http };
}

afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function seedContacts(client: LacrmClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    clock += 1000;
    ids.push(
      await client.createContact({
        isCompany: false,
        assignedTo: '483823',
        name: { firstName: `Client${i}`, lastName: 'Example' },
        emails: [`client${i}@clients.example`],
      }),
    );
  }
  return ids;
}

describe('auth and errors', () => {
  it('turns a refused key into an AuthError an advisor can act on', async () => {
    const { client } = await setup({}, { apiKey: 'not-the-key' });
    const error = await client.getUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/LACRM refused the API key/);
    expect((error as AuthError).message).toMatch(/Programmer API/);
    expect((error as AuthError).message).not.toContain('not-the-key');
    expect((error as AuthError).status).toBe(400);
  });

  it('sends the raw key, so the real key works and GetUser ids come back as strings', async () => {
    const { client } = await setup();
    const user = await client.getUser();
    expect(user).toEqual({
      UserId: '483823',
      FirstName: 'Avery',
      LastName: 'Advisor',
      Email: 'avery@advisor.example',
      Timezone: 'America/Chicago',
    });
  });

  it('raises LacrmError with the description and opaque code for a refused call', async () => {
    const { client } = await setup();
    const error = await client
      .editContact(JANE_ID, { customFields: { 'Next Review Due': '2026-01-01' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LacrmError);
    expect((error as LacrmError).functionName).toBe('EditContact');
    expect((error as LacrmError).errorCode).toMatch(/^\w+$/);
    expect((error as Error).message).toMatch(
      /^Less Annoying CRM EditContact: LACRM refused the request: Unknown parameter "Next Review Due"/,
    );
    expect(createOutcomeUnknown(error)).toBe(false);
  });

  it('treats an ErrorCode inside a 200 body as an error', async () => {
    const { client, sim: s } = await setup();
    s.faults.add({
      fault: {
        kind: 'status',
        status: 200,
        body: JSON.stringify({ ErrorCode: 'zz9', ErrorDescription: 'Something went sideways' }),
      },
      times: 1,
    });
    await expect(client.getUser()).rejects.toThrow(/Something went sideways \(error code zz9\)/);
  });

  it('names the Function and the field when a response has the wrong shape', async () => {
    const { client, sim: s } = await setup();
    s.faults.add({
      match: onLacrmFunction('GetContacts'),
      fault: {
        kind: 'status',
        status: 200,
        body: JSON.stringify({
          HasMoreResults: false,
          Results: [{ ...jane(), LastUpdate: '14/03/2025 11:05' }],
        }),
      },
      times: 1,
    });
    const error = await client.getContacts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect((error as Error).message).toMatch(/GetContacts: unexpected response shape/);
    expect((error as SchemaMismatchError).detail).toMatch(/^Results\.0\.LastUpdate: /);
  });

  it('reports a non-JSON 200 as a schema mismatch, not a crash', async () => {
    const { client, sim: s } = await setup();
    s.faults.add({ fault: { kind: 'malformed' }, times: 1 });
    await expect(client.getUser()).rejects.toThrow(
      /GetUser: unexpected response shape: .*not valid JSON/,
    );
  });

  it('refuses to send a DateTime without an offset', async () => {
    const { client, sim: s } = await setup();
    await expect(
      client.createEvent({ name: 'x', start: '2026-01-07T10:00:00', end: '2026-01-07T11:00:00' }),
    ).rejects.toThrow(RangeError);
    expect(s.callCount('CreateEvent')).toBe(0);
  });
});

describe('contact pulls', () => {
  it('pulls every contact across several pages, storing as it goes', async () => {
    const { client, sim: s } = await setup({}, { pageSize: 3 });
    await seedContacts(client, 7);
    const pages = await collect(client.pullAllContacts());
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages.map((p) => p.contacts.length)).toEqual([3, 3, 2]);
    const ids = pages.flatMap((p) => p.contacts.map((c) => c.ContactId));
    expect(new Set(ids).size).toBe(8);
    expect(ids[0]).toBe(JANE_ID); // oldest first
    expect(s.callCount('GetContacts')).toBe(3);
    const full = pages[0]!.contacts[0]!;
    expect(full['Next review due']).toBe('2025-09-14');
  });

  it('uses 10,000 per page by default', async () => {
    const { client, sim: s } = await setup();
    await collect(client.pullAllContacts());
    expect(s.callCount('GetContacts')).toBe(1);
    await expect(collect(client.pullAllContacts({ pageSize: 10_001 }))).rejects.toThrow(RangeError);
  });

  it('pulls only contacts updated at or after the watermark, newest first, then stops', async () => {
    const { client, sim: s } = await setup({}, { pageSize: 2 });
    const ids = await seedContacts(client, 6);
    const initial = (await collect(client.pullAllContacts())).flatMap((p) => p.contacts);
    const watermark = initial
      .map((c) => c.LastUpdate)
      .reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));

    clock += 60_000;
    await client.editContact(ids[1]!, { customFields: { 'Client tier': 'A' } });
    clock += 60_000;
    s.editContactDirectly(ids[3]!, { 'Job Title': 'Trustee' });
    const callsBefore = s.callCount('GetContacts');

    const pages = await collect(client.pullContactsUpdatedSince(watermark));
    const changed = pages.flatMap((p) => p.contacts.map((c) => c.ContactId));
    // The newest seed shares the watermark second and comes back too: equal is "not older".
    expect(changed).toEqual([ids[3], ids[1], ids[5]]);
    expect(s.callCount('GetContacts') - callsBefore).toBe(2);

    const none = await collect(client.pullContactsUpdatedSince('2099-01-01T00:00:00Z'));
    expect(none).toEqual([]);
  });

  it('refuses to trust an incremental pull when LACRM did not sort by LastUpdate', async () => {
    const { client, sim: s } = await setup();
    const older = { ...jane(), ContactId: '1', LastUpdate: '2025-01-01T00:00:00-05:00' };
    const newer = { ...jane(), ContactId: '2', LastUpdate: '2025-06-01T00:00:00-05:00' };
    s.faults.add({
      match: onLacrmFunction('GetContacts'),
      fault: {
        kind: 'status',
        status: 200,
        body: JSON.stringify({ HasMoreResults: false, Results: [older, newer] }),
      },
    });
    await expect(collect(client.pullContactsUpdatedSince('2024-01-01T00:00:00Z'))).rejects.toThrow(
      /LastUpdate: not in descending order/,
    );
  });

  it('keeps all 31 digits of ids sent as bare JSON numbers', async () => {
    const { client } = await setup({ idsAsNumbers: true });
    const contact = await client.getContact(JANE_ID);
    expect(contact.ContactId).toBe(JANE_ID);
    const [page] = await collect(client.pullAllContacts());
    expect(page!.contacts[0]!.ContactId).toBe(JANE_ID);
    const eventId = await client.createEvent({
      name: 'Review',
      start: '2026-01-07T10:00:00-05:00',
      end: '2026-01-07T11:00:00-05:00',
      attendees: contactAttendees([JANE_ID]),
    });
    expect(eventId).toMatch(/^\d{31}$/);
    expect((await client.getEvent(eventId)).ContactIds).toEqual([JANE_ID]);
  });

  it('normalizes a pulled contact for the index', async () => {
    const { client } = await setup();
    const fields = await client.getCustomFields();
    const labels = fields.map((f) => f.Name);
    expect(fields.find((f) => f.Name === 'Client tier')).toMatchObject({
      Type: 'Dropdown',
      Options: ['A', 'B', 'C'],
    });
    const contact = await client.getContact(JANE_ID);
    expect(normalizeContact(contact, labels)).toEqual({
      contactId: JANE_ID,
      isCompany: false,
      firstName: 'Jane',
      middleName: '',
      lastName: 'Doe',
      companyName: '',
      emails: ['jane@acme.example', 'jane.doe@mail.example'],
      lastUpdate: '2025-03-14T11:05:00-05:00',
      customFields: {
        'Last portfolio review': '2025-03-14',
        'Next review due': '2025-09-14',
        'Meetings last 12 months': null,
        'Client tier': null,
      },
    });
  });
});

describe('writes', () => {
  it('EditContact: omitted keeps a field, null blanks it, emails only change when passed', async () => {
    const { client } = await setup();
    clock += 5_000;
    await client.editContact(JANE_ID, {
      customFields: { 'Next review due': '2026-03-14', 'Last portfolio review': null },
    });
    const after = await client.getContact(JANE_ID);
    expect(after['Next review due']).toBe('2026-03-14');
    expect(after['Last portfolio review']).toBeNull();
    expect(after.Email).toEqual(jane().Email.map((e) => expect.objectContaining(e)));
    expect(after['Job Title']).toBe('CFO');
    expect(Date.parse(after.LastUpdate)).toBe(clock);

    await client.editContact(JANE_ID, { emails: ['jane@only.example'], jobTitle: null });
    const replaced = await client.getContact(JANE_ID);
    expect(replaced.Email.map((e) => e.Text)).toEqual(['jane@only.example']);
    expect(replaced['Job Title']).toBe('');
    expect(replaced['Next review due']).toBe('2026-03-14');

    await expect(
      client.editContact(JANE_ID, { customFields: { Email: 'x@y.example' } }),
    ).rejects.toThrow(/built-in contact field/);
  });

  it.each(['none', 'null', 'object', 'string'] as const)(
    'accepts the empty success body of Edit*/Delete* sent as %s',
    async (emptySuccessBody) => {
      const { client } = await setup({ emptySuccessBody });
      await expect(
        client.editContact(JANE_ID, { customFields: { 'Client tier': 'B' } }),
      ).resolves.toBeUndefined();
    },
  );

  it('creates a contact and a company and reads them back', async () => {
    const { client } = await setup();
    const companyId = await client.createContact({
      isCompany: true,
      assignedTo: '483823',
      name: 'Acme Advisors LLC',
    });
    const personId = await client.createContact({
      isCompany: false,
      assignedTo: '483823',
      name: { firstName: 'Ann', lastName: 'Smith' },
      emails: [{ text: 'ann@acme.example', type: 'Work' }, 'ann@home.example'],
      companyName: 'Acme Advisors LLC',
      customFields: { 'Client tier': 'A', 'Meetings last 12 months': 3 },
    });
    const [person] = await client.getContactsById([personId]);
    expect(person).toMatchObject({
      ContactId: personId,
      CompanyId: companyId,
      'Company Name': 'Acme Advisors LLC',
      'Client tier': 'A',
      'Meetings last 12 months': 3,
    });
    expect(normalizeContact(person!).emails).toEqual(['ann@acme.example', 'ann@home.example']);
    const company = normalizeContact(await client.getContact(companyId));
    expect(company).toMatchObject({ isCompany: true, companyName: 'Acme Advisors LLC' });
  });

  it('creates, edits, finds and deletes an event', async () => {
    const { client, sim: s } = await setup({}, { pageSize: 2 });
    const start = formatLacrmDateTime('2026-01-07T15:00:00Z', 'America/New_York');
    expect(start).toBe('2026-01-07T10:00:00-05:00');
    const ids: string[] = [];
    for (let day = 7; day <= 11; day++)
      ids.push(
        await client.createEvent({
          name: 'Portfolio review',
          start: `2026-01-${String(day).padStart(2, '0')}T10:00:00-05:00`,
          end: `2026-01-${String(day).padStart(2, '0')}T11:00:00-05:00`,
          description: `Agenda\n[ref:mtg_${day}]`,
          location: 'Zoom',
          attendees: contactAttendees([JANE_ID]),
        }),
      );
    const inRange = await client.getEvents({
      contactId: JANE_ID,
      startDate: '2026-01-08',
      endDate: '2026-01-11T10:00:00-05:00',
    });
    expect(inRange.map((e) => e.EventId)).toEqual(ids.slice(1));
    expect(s.callCount('GetEvents')).toBe(2);

    await client.editEvent(ids[0]!, { location: null, name: 'Annual review' });
    const edited = await client.getEvent(ids[0]!);
    expect(edited).toMatchObject({ Name: 'Annual review', Location: '', ContactIds: [JANE_ID] });
    expect(edited.Description).toContain('[ref:mtg_7]');

    expect(await client.deleteEvent(ids[0]!)).toBe('deleted');
    expect(s.eventsWithMarker('[ref:mtg_7]')).toBe(0);
    expect(await client.deleteEvent(ids[0]!)).toBe('already_gone');
    expect((await client.getEventsAttachedToContact(JANE_ID)).length).toBe(4);
  });

  it('creates, edits, lists and deletes a note', async () => {
    const { client, sim: s } = await setup({}, { pageSize: 1 });
    const first = await client.createNote({
      contactId: JANE_ID,
      note: 'Reviewed allocation.\n[ref:mtg_a]',
      dateDisplayedInHistory: '2026-01-07T10:00:00-05:00',
    });
    await client.createNote({
      contactId: JANE_ID,
      note: 'Follow-up call. [ref:mtg_b]',
      dateDisplayedInHistory: '2026-01-09T10:00:00-05:00',
    });
    const notes = await client.getNotes({
      contactId: JANE_ID,
      dateFilterStart: '2026-01-01',
      dateFilterEnd: '2026-01-31',
    });
    expect(notes.map((n) => n.Note)).toEqual([
      'Follow-up call. [ref:mtg_b]',
      'Reviewed allocation.\n[ref:mtg_a]',
    ]);
    await client.editNote(first, { note: 'Reviewed allocation; rebalanced.\n[ref:mtg_a]' });
    expect((await client.getNote(first)).Note).toMatch(/rebalanced/);
    expect(s.notesWithMarker('[ref:mtg_a]')).toBe(1);
    expect(await client.deleteNote(first)).toBe('deleted');
    expect(await client.deleteNote(first)).toBe('already_gone');
    await expect(client.createNote({ contactId: '42', note: 'x' })).rejects.toBeInstanceOf(
      LacrmError,
    );
  });
});

describe('lost answers and retries', () => {
  it.each([
    ['drop', { kind: 'drop' } as const, ConnectionError],
    ['hang', { kind: 'hang' } as const, ConnectionError],
    ['502', { kind: 'status', status: 502 } as const, HttpStatusError],
    [
      '500 with an ErrorCode body',
      {
        kind: 'status',
        status: 500,
        body: JSON.stringify({ ErrorCode: 'x500', ErrorDescription: 'Database unavailable' }),
      } as const,
      HttpStatusError,
    ],
  ])(
    "a create whose answer is lost (%s, 'after') is surfaced, never retried",
    async (_name, fault, errorClass) => {
      const { client, sim: s } = await setup({}, { timeoutMs: 300 });
      s.faults.add({ phase: 'after', fault, match: onLacrmFunction('CreateEvent'), times: 1 });
      const error = await client
        .createEvent({
          name: 'Review',
          start: '2026-01-07T10:00:00-05:00',
          end: '2026-01-07T11:00:00-05:00',
          description: '[ref:lost]',
          attendees: contactAttendees([JANE_ID]),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      // A 5xx is LACRM failing, never 'refused' (which would mean nothing was written).
      expect(error).not.toBeInstanceOf(LacrmError);
      expect((error as Error).message).not.toMatch(/refused/);
      expect(createOutcomeUnknown(error)).toBe(true);
      expect(s.callCount('CreateEvent')).toBe(1);
      expect(s.eventsWithMarker('[ref:lost]')).toBe(1);
      // The push executor's check: the marker is findable before any second attempt.
      const found = await client.getEvents({ contactId: JANE_ID, startDate: '2026-01-07' });
      expect(found.filter((e) => e.Description.includes('[ref:lost]'))).toHaveLength(1);
    },
  );

  it("a create refused before processing (503, 'before') is not retried either", async () => {
    const { client, sim: s } = await setup();
    s.faults.add({ fault: { kind: 'status', status: 503 }, match: onLacrmFunction('CreateNote') });
    const error = await client
      .createNote({ contactId: JANE_ID, note: '[ref:x]' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(s.log.filter((r) => r.status === 503)).toHaveLength(1);
    expect(s.notesWithMarker('[ref:x]')).toBe(0);
  });

  it('retries reads through 5xx, and any call through a 429 (nothing was done)', async () => {
    const { client, sim: s, http } = await setup();
    s.faults.add({ fault: { kind: 'status', status: 500 }, times: 2 });
    await expect(client.getUser()).resolves.toMatchObject({ UserId: '483823' });
    expect(http.requestCount).toBe(3);

    const tooMany = {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '0' },
      body: JSON.stringify({ ErrorCode: 'e8', ErrorDescription: 'Too many requests' }),
    } as const;
    s.faults.add({ fault: tooMany, match: onLacrmFunction('CreateNote'), times: 2 });
    await client.createNote({ contactId: JANE_ID, note: '[ref:after-429]' });
    expect(s.notesWithMarker('[ref:after-429]')).toBe(1);
    expect(s.callCount('CreateNote')).toBe(1);
    expect(http.requestCount).toBe(6);
  });

  it("a lost answer to an edit is retried safely; a lost answer to a delete ends 'already_gone'", async () => {
    const { client, sim: s } = await setup({}, { timeoutMs: 300 });
    const eventId = await client.createEvent({
      name: 'Review',
      start: '2026-01-07T10:00:00-05:00',
      end: '2026-01-07T11:00:00-05:00',
      attendees: contactAttendees([JANE_ID]),
    });
    s.faults.add({
      phase: 'after',
      fault: { kind: 'drop' },
      match: onLacrmFunction('EditContact'),
      times: 1,
    });
    await client.editContact(JANE_ID, { customFields: { 'Client tier': 'C' } });
    expect(s.callCount('EditContact')).toBe(2);
    expect(s.contact(JANE_ID)!['Client tier']).toBe('C');

    s.faults.add({
      phase: 'after',
      fault: { kind: 'drop' },
      match: onLacrmFunction('DeleteEvent'),
      times: 1,
    });
    expect(await client.deleteEvent(eventId)).toBe('already_gone');
    expect(s.callCount('DeleteEvent')).toBe(2);
    expect(s.events()).toEqual([]);
  });
});
