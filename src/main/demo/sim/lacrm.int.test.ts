// The LACRM simulator over real HTTP: is it as strict as the fact sheet (../../../../../shared/api/
// lacrm.md)? Each test speaks raw JSON to it, as LACRM's own tutorials do.
import { afterEach, describe, expect, it } from 'vitest';
import type { LacrmContact } from '../../crm/lacrm/types';
import { onLacrmFunction, startLacrmSim, type LacrmSim, type LacrmSimOptions } from './lacrm';

const T0 = Date.parse('2026-01-05T15:00:00Z');

function jane(overrides: Partial<Record<string, unknown>> = {}): LacrmContact {
  return {
    ContactId: '3862515354732873260518907940136',
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
    ...overrides,
  };
}

let sim: LacrmSim | null = null;
let clock = T0;

async function start(options: LacrmSimOptions = {}): Promise<LacrmSim> {
  clock = T0;
  sim = await startLacrmSim({ now: () => clock, contacts: [jane()], ...options });
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = null;
});

type Reply = { status: number; text: string; json: unknown };

async function send(
  s: LacrmSim,
  body: unknown,
  init: { headers?: Record<string, string>; method?: string; url?: string } = {},
): Promise<Reply> {
  const method = init.method ?? 'POST';
  const response = await fetch(init.url ?? s.baseUrl, {
    method,
    headers: { 'content-type': 'application/json', authorization: s.apiKey, ...init.headers },
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

function call(s: LacrmSim, fn: string, parameters: Record<string, unknown> = {}) {
  return send(s, { Function: fn, Parameters: parameters });
}

function expectError(reply: Reply, descriptionPattern: RegExp): void {
  expect(reply.status).toBe(400);
  const body = reply.json as { ErrorCode: unknown; ErrorDescription: unknown };
  expect(typeof body.ErrorCode).toBe('string');
  expect(body.ErrorDescription).toMatch(descriptionPattern);
}

describe('transport and auth', () => {
  it('serves one POST endpoint at /v2/ and refuses anything else', async () => {
    const s = await start();
    expect(s.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/$/);
    expect((await call(s, 'GetUser')).status).toBe(200);
    expectError(await send(s, null, { method: 'GET' }), /POST/);
    expect((await send(s, { Function: 'GetUser' }, { url: s.baseUrl + 'contacts' })).status).toBe(
      404,
    );
  });

  it('answers a missing, wrong or Bearer-prefixed key with HTTP 400, not 401', async () => {
    const s = await start();
    const bearer = await send(
      s,
      { Function: 'GetUser' },
      {
        headers: { authorization: `Bearer ${s.apiKey}` },
      },
    );
    expectError(bearer, /Invalid credentials.*Bearer/);
    expectError(
      await send(s, { Function: 'GetUser' }, { headers: { authorization: 'nope' } }),
      /Invalid credentials/,
    );
    expectError(
      await send(s, { Function: 'GetUser' }, { headers: { authorization: '' } }),
      /Invalid credentials/,
    );
    expect(s.callCount('GetUser')).toBe(0);
  });

  it('refuses bodies that are not {Function, Parameters} JSON, naming what is wrong', async () => {
    const s = await start();
    expectError(await send(s, 'Function=GetUser'), /not valid JSON/);
    expectError(
      await send(s, { Function: 'GetUser' }, { headers: { 'content-type': 'text/plain' } }),
      /Content-Type/,
    );
    expectError(
      await send(s, { Function: 'GetUser', UserCode: 'x', APIToken: 'y' }),
      /unknown key "UserCode", "APIToken"/,
    );
    expectError(await call(s, 'SearchContacts'), /Unknown Function "SearchContacts"/);
    expectError(await call(s, 'GetUser', { Verbose: true }), /Unknown parameter "Verbose"/);
  });

  it('returns GetUser as the key owner, with a numeric UserId like the docs', async () => {
    const s = await start();
    const reply = await call(s, 'GetUser');
    expect(reply.json).toEqual(s.user);
    expect(typeof (reply.json as { UserId: unknown }).UserId).toBe('number');
  });
});

describe('contacts', () => {
  async function seedMany(s: LacrmSim, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      clock += 60_000;
      const reply = await call(s, 'CreateContact', {
        IsCompany: false,
        AssignedTo: '483823',
        Name: { FirstName: `Person${i}`, LastName: 'Example' },
        Email: `p${i}@clients.example`,
      });
      ids.push((reply.json as { ContactId: string }).ContactId);
    }
    return ids;
  }

  it('pages GetContacts 1-based with HasMoreResults, Descending by default', async () => {
    const s = await start({ contacts: [] });
    const ids = await seedMany(s, 5);
    const page = (n: number) =>
      call(s, 'GetContacts', { SortBy: 'DateCreated', MaxNumberOfResults: 2, Page: n });
    const pages = await Promise.all([1, 2, 3].map(page));
    expect(pages.map((p) => (p.json as { HasMoreResults: boolean }).HasMoreResults)).toEqual([
      true,
      true,
      false,
    ]);
    const seen = pages.flatMap((p) =>
      (p.json as { Results: { ContactId: string }[] }).Results.map((c) => c.ContactId),
    );
    expect(seen).toEqual([...ids].reverse());
    expectError(await page(0), /"Page"/);
    expectError(
      await call(s, 'GetContacts', { MaxNumberOfResults: 10_001 }),
      /"MaxNumberOfResults".*10,000/,
    );
    const all = await call(s, 'GetContacts', { MaxNumberOfResults: 10_000 });
    expect((all.json as { Results: unknown[] }).Results).toHaveLength(5);
  });

  it('searches names and every email, and sorts by LastUpdate', async () => {
    const s = await start();
    const [first] = await seedMany(s, 3);
    const byEmail = await call(s, 'GetContacts', { SearchTerms: 'jane.doe@mail.example' });
    expect(
      (byEmail.json as { Results: { ContactId: string }[] }).Results.map((c) => c.ContactId),
    ).toEqual([jane().ContactId]);
    clock += 3_600_000;
    await call(s, 'EditContact', { ContactId: first, 'Client tier': 'A' });
    const recent = await call(s, 'GetContacts', { SortBy: 'LastUpdate', MaxNumberOfResults: 1 });
    expect((recent.json as { Results: { ContactId: string }[] }).Results[0]?.ContactId).toBe(first);
    const exact = await call(s, 'GetContacts', {
      AdvancedFilters: [{ Name: 'Email', Operation: 'IsExactly', Value: 'P1@clients.example' }],
    });
    expect((exact.json as { Results: unknown[] }).Results).toHaveLength(1);
  });

  it('creates contacts with Email as a string, a list of strings or {Text, Type} objects', async () => {
    const s = await start();
    const create = (Email: unknown) =>
      call(s, 'CreateContact', { IsCompany: false, AssignedTo: 483823, Name: 'Sam Lee', Email });
    const shapes = [
      'sam@one.example',
      ['sam@one.example', 'sam@two.example'],
      [{ Text: 'sam@one.example', Type: 'Personal' }],
    ];
    for (const shape of shapes) {
      const reply = await create(shape);
      expect(reply.status).toBe(200);
      const contactId = (reply.json as { ContactId: string }).ContactId;
      expect(contactId).toMatch(/^\d{31}$/);
      const stored = s.contact(contactId)!;
      expect(stored.Email[0]).toMatchObject({ Text: 'sam@one.example' });
      expect(stored.Name).toMatchObject({ FirstName: 'Sam', LastName: 'Lee' });
    }
    const defaulted = (await create(['a@x.example'])).json as { ContactId: string };
    expect(s.contact(defaulted.ContactId)!.Email[0]!.Type).toBe('Work');
    expectError(await create([{ Text: 'x@x.example', Type: 'Home' }]), /"Email\.0\.Type"/);
    expectError(
      await call(s, 'CreateContact', { AssignedTo: 483823, Name: 'No Flag' }),
      /"IsCompany"/,
    );
    expectError(await call(s, 'CreateContact', { IsCompany: false, Name: 'X Y' }), /"AssignedTo"/);
    expectError(
      await call(s, 'CreateContact', { IsCompany: false, AssignedTo: 1, Name: 'X Y' }),
      /AssignedTo/,
    );
  });

  it('keeps company names unique and links a contact by "Company Name"', async () => {
    const s = await start();
    const company = await call(s, 'CreateContact', {
      IsCompany: true,
      AssignedTo: 483823,
      Name: 'Acme LLC',
    });
    expect(company.status).toBe(200);
    expectError(
      await call(s, 'CreateContact', { IsCompany: true, AssignedTo: 483823, Name: 'Acme LLC' }),
      /already exists/,
    );
    const person = await call(s, 'CreateContact', {
      IsCompany: false,
      AssignedTo: 483823,
      Name: 'Ann Smith',
      'Company Name': 'acme llc',
    });
    const stored = s.contact((person.json as { ContactId: string }).ContactId)!;
    expect(stored.CompanyId).toBe((company.json as { ContactId: string }).ContactId);
    expect(stored['Company Name']).toBe('Acme LLC');
    const companyId = (company.json as { ContactId: string }).ContactId;
    expect((await call(s, 'EditContact', { ContactId: companyId, Name: 'ACME LLC' })).status).toBe(
      200,
    );
    expect(s.contact(companyId)!['Company Name']).toBe('ACME LLC');
    // A company's custom fields are a separate set.
    expectError(
      await call(s, 'EditContact', {
        ContactId: (company.json as { ContactId: string }).ContactId,
        'Next review due': '2026-01-01',
      }),
      /contact field/,
    );
  });

  it('EditContact changes only what is passed, blanks on null, replaces Email wholesale', async () => {
    const s = await start();
    const id = jane().ContactId;
    clock += 1000;
    const reply = await call(s, 'EditContact', {
      ContactId: id,
      'Next review due': '2026-09-14',
      'Last portfolio review': null,
      Email: [{ Text: 'jane@new.example' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    const after = s.contact(id)!;
    expect(after['Next review due']).toBe('2026-09-14');
    expect(after['Last portfolio review']).toBeNull();
    expect(after['Job Title']).toBe('CFO');
    expect(after.Phone).toEqual(jane().Phone);
    expect(after.Email.map((e) => e.Text)).toEqual(['jane@new.example']);
    expect(after.LastUpdate).not.toBe(jane().LastUpdate);
    expect(Date.parse(after.LastUpdate)).toBe(clock);
  });

  it('refuses unknown labels and badly typed custom values, leaving the record as it was', async () => {
    const s = await start();
    const id = jane().ContactId;
    const before = s.contact(id);
    expectError(
      await call(s, 'EditContact', { ContactId: id, 'Job Title': 'CEO', 'Next Review Due': 'x' }),
      /Unknown parameter "Next Review Due"/,
    );
    expectError(
      await call(s, 'EditContact', { ContactId: id, 'Next review due': '09/14/2026' }),
      /"Next review due" \(Date\)/,
    );
    expectError(
      await call(s, 'EditContact', { ContactId: id, 'Client tier': 'Platinum' }),
      /one of "A", "B", "C"/,
    );
    expectError(
      await call(s, 'EditContact', { ContactId: id, 'Meetings last 12 months': 'many' }),
      /number/,
    );
    expectError(await call(s, 'EditContact', { ContactId: '1', Name: 'X Y' }), /does not match/);
    expect(s.contact(id)).toEqual(before);
    expect((await call(s, 'GetCustomFields', { RecordType: 'Contact' })).json).toMatchObject({
      HasMoreResults: false,
      Results: expect.arrayContaining([
        expect.objectContaining({ Name: 'Next review due', Type: 'Date' }),
      ]),
    });
  });

  it('can send ids as bare 31-digit numbers (the precision trap)', async () => {
    const s = await start({ idsAsNumbers: true });
    const reply = await call(s, 'GetContact', { ContactId: jane().ContactId });
    expect(reply.text).toContain(`"ContactId":${jane().ContactId}`);
  });
});

describe('events and notes', () => {
  const start10 = '2026-01-07T10:00:00-05:00';
  const end11 = '2026-01-07T11:00:00-05:00';
  const attendee = { IsUser: false, AttendeeId: jane().ContactId, AttendanceStatus: 'IsAttending' };

  it('creates an event linked through Attendees and finds it by contact and range', async () => {
    const s = await start();
    const created = await call(s, 'CreateEvent', {
      Name: 'Portfolio review',
      StartDate: start10,
      EndDate: end11,
      Description: 'Agenda\n[ref:mtg_1]',
      Attendees: [attendee],
    });
    expect(created.status).toBe(200);
    const eventId = (created.json as { EventId: string }).EventId;
    expect(eventId).toMatch(/^\d{31}$/);
    expect(s.eventsWithMarker('[ref:mtg_1]')).toBe(1);
    const inRange = await call(s, 'GetEvents', {
      ContactId: jane().ContactId,
      StartDate: '2026-01-07',
      EndDate: '2026-01-07',
    });
    const [event] = (inRange.json as { Results: Record<string, unknown>[] }).Results;
    expect(event).toMatchObject({
      EventId: eventId,
      StartDate: start10,
      ContactIds: [jane().ContactId],
      Attendees: [attendee],
    });
    const outOfRange = await call(s, 'GetEvents', { StartDate: '2026-01-08T00:00:00-05:00' });
    expect((outOfRange.json as { Results: unknown[] }).Results).toEqual([]);
    // Inclusive bounds: an event starting exactly at EndDate is in.
    const edge = await call(s, 'GetEvents', { StartDate: start10, EndDate: start10 });
    expect((edge.json as { Results: unknown[] }).Results).toHaveLength(1);
  });

  it('refuses a DateTime without an offset, v1 parameters and unknown attendees', async () => {
    const s = await start();
    expectError(
      await call(s, 'CreateEvent', { Name: 'x', StartDate: '2026-01-07T10:00:00', EndDate: end11 }),
      /"StartDate".*no UTC offset/,
    );
    expectError(
      await call(s, 'CreateEvent', {
        Name: 'x',
        StartDate: start10,
        EndDate: end11,
        ContactIds: [jane().ContactId],
      }),
      /Unknown parameter "ContactIds"/,
    );
    expectError(
      await call(s, 'CreateEvent', {
        Name: 'x',
        StartDate: start10,
        EndDate: end11,
        Attendees: [{ ...attendee, AttendeeId: '1234' }],
      }),
      /"Attendees\.0\.AttendeeId"/,
    );
    expectError(await call(s, 'CreateEvent', { Name: 'x', StartDate: start10 }), /"EndDate"/);
    expectError(
      await call(s, 'CreateEvent', { Name: 'x', StartDate: end11, EndDate: start10 }),
      /before StartDate/,
    );
    expect(s.events()).toEqual([]);
  });

  it('edits, replaces attendees wholesale, and deletes events', async () => {
    const s = await start();
    const { EventId } = (
      await call(s, 'CreateEvent', {
        Name: 'Review',
        StartDate: start10,
        EndDate: end11,
        Attendees: [attendee, { IsUser: true, AttendeeId: 483823, AttendanceStatus: 'Maybe' }],
      })
    ).json as { EventId: string };
    clock += 5000;
    const edit = await call(s, 'EditEvent', {
      EventId,
      Location: 'Zoom',
      Attendees: [attendee],
    });
    expect(edit).toMatchObject({ status: 200, text: '' });
    const [event] = s.events();
    expect(event).toMatchObject({ Name: 'Review', Location: 'Zoom', UserIds: [] });
    expect(event!.DateUpdated).not.toBe(event!.DateCreated);
    expect((await call(s, 'DeleteEvent', { EventId })).status).toBe(200);
    expectError(await call(s, 'GetEvent', { EventId }), /does not match any event/);
    expectError(await call(s, 'DeleteEvent', { EventId }), /does not match any event/);
  });

  it('keeps notes on an existing contact, escapes HTML, sorts newest first', async () => {
    const s = await start();
    expectError(
      await call(s, 'CreateNote', { ContactId: '99', Note: 'x' }),
      /does not match any contact/,
    );
    await call(s, 'CreateNote', {
      ContactId: jane().ContactId,
      Note: 'Older <b>note</b>\nline 2',
      DateDisplayedInHistory: '2026-01-01T09:00:00-05:00',
    });
    await call(s, 'CreateNote', {
      ContactId: jane().ContactId,
      Note: 'Newer [ref:mtg_2]',
      DateDisplayedInHistory: '2026-01-02T09:00:00-05:00',
    });
    const listed = await call(s, 'GetNotes', { ContactId: jane().ContactId });
    const notes = (listed.json as { Results: { Note: string }[] }).Results;
    expect(notes.map((n) => n.Note)).toEqual([
      'Newer [ref:mtg_2]',
      'Older &lt;b&gt;note&lt;/b&gt;\nline 2',
    ]);
    expect(s.notesWithMarker('[ref:mtg_2]')).toBe(1);
    const filtered = await call(s, 'GetNotes', { DateFilterStart: '2026-01-02' });
    expect((filtered.json as { Results: unknown[] }).Results).toHaveLength(1);
  });
});

describe('faults, limits, permissions and hooks', () => {
  it("an 'after' fault processes the request and then loses the answer", async () => {
    const s = await start();
    s.faults.add({ phase: 'after', fault: { kind: 'drop' }, match: onLacrmFunction('CreateNote') });
    await expect(
      call(s, 'CreateNote', { ContactId: jane().ContactId, Note: 'lost [ref:m]' }),
    ).rejects.toThrow();
    expect(s.notesWithMarker('[ref:m]')).toBe(1);
    expect(s.callCount('CreateNote')).toBe(1);
  });

  it("a 'before' fault leaves state alone and is not counted as a call", async () => {
    const s = await start();
    s.faults.add({ fault: { kind: 'status', status: 503 }, times: 1 });
    expect((await call(s, 'GetUser')).status).toBe(503);
    expect(s.callCount('GetUser')).toBe(0);
    expect((await call(s, 'GetUser')).status).toBe(200);
    expect(s.callCounts()).toEqual({ GetUser: 1 });
  });

  it('rate limits with 429 only when asked to', async () => {
    const s = await start({ rateLimit: { limit: 2, windowMs: 60_000, retryAfterSeconds: 3 } });
    await call(s, 'GetUser');
    await call(s, 'GetUser');
    const limited = await fetch(s.baseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: s.apiKey },
      body: JSON.stringify({ Function: 'GetUser' }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    clock += 60_000;
    expect((await call(s, 'GetUser')).status).toBe(200);
  });

  it('honours a read-only key', async () => {
    const s = await start({ permissions: { create: false } });
    expectError(
      await call(s, 'CreateNote', { ContactId: jane().ContactId, Note: 'x' }),
      /permission to create/,
    );
    expect((await call(s, 'GetContact', { ContactId: jane().ContactId })).status).toBe(200);
  });

  it.each([
    ['none', ''],
    ['null', 'null'],
    ['object', '{}'],
    ['string', '""'],
  ] as const)('sends the empty success body as %s', async (emptySuccessBody, expected) => {
    const s = await start({ emptySuccessBody });
    const reply = await call(s, 'EditContact', { ContactId: jane().ContactId, 'Client tier': 'B' });
    expect(reply).toMatchObject({ status: 200, text: expected });
  });

  it('reflects CRM-side edits, deletions and renamed fields through the hooks', async () => {
    const s = await start();
    const id = s.addContactDirectly({ Name: { FirstName: 'Kim', LastName: 'Ng' } });
    expect(s.contact(id)).toMatchObject({ IsCompany: false, Email: [], 'Client tier': null });
    clock += 10_000;
    s.editContactDirectly(id, { 'Client tier': 'C' });
    expect(Date.parse(s.contact(id)!.LastUpdate)).toBe(clock);
    s.renameCustomField('Next review due', 'Next review');
    expect(s.contact(jane().ContactId)!['Next review']).toBe('2025-09-14');
    expectError(
      await call(s, 'EditContact', { ContactId: id, 'Next review due': '2026-01-01' }),
      /Unknown parameter "Next review due"/,
    );
    s.deleteContactDirectly(id);
    expect(s.contacts().map((c) => c.ContactId)).toEqual([jane().ContactId]);
  });
});
