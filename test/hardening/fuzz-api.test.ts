// Fuzzing every parser of an outside API response: the Cal.com, Calendly and TidyCal connectors and
// the LACRM client. Valid responses are recorded from the simulators (a small generated practice),
// then replayed with the response of one endpoint replaced by arbitrary text, arbitrary JSON, an
// arbitrary status, or the valid body with one field deleted, nulled or given the wrong type.
// Whatever arrives, a call either returns well-formed values or fails with a NetError that names
// the source and the endpoint (a shape problem: SchemaMismatchError naming the field) — never a
// TypeError or another crash. Breaking a field Cadence relies on must be refused, naming its path.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLacrmClient, type LacrmClient } from '../../src/main/crm/lacrm/client';
import { LacrmError } from '../../src/main/crm/lacrm/errors';
import { generatePractice } from '../../src/main/demo/practice';
import { startCalcomSim, type CalcomSim } from '../../src/main/demo/sim/calcom';
import { startCalendlySim, type CalendlySim } from '../../src/main/demo/sim/calendly';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { startTidyCalSim, type TidyCalSim } from '../../src/main/demo/sim/tidycal';
import { NetError, SchemaMismatchError } from '../../src/main/net/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/main/net/http';
import { createCalcomConnector } from '../../src/main/sources/calcom/connector';
import { createCalendlyConnector } from '../../src/main/sources/calendly/connector';
import type { SourceConnector, SyncRequest } from '../../src/main/sources/connector';
import { createTidycalConnector } from '../../src/main/sources/tidycal/connector';
import type { NormalizedBooking } from '../../src/main/sources/types';
import { bookingStatuses, sourceLabels, type SyncSource } from '../../src/shared/domain';
import {
  anyBodyText,
  anyMutation,
  jsonResponse,
  mutate,
  mutationKind,
  pathText,
  RecordingHttp,
  realHttp,
  ScriptedHttp,
  textResponse,
  type JsonPath,
} from './fuzz-support';

const NOW = new Date('2026-06-01T12:00:00.000Z');
/** Items kept in each recorded list, so every run is quick and every index is reachable. */
const KEEP = 3;
const RUNS = 150;

// ---------------------------------------------------------------------------------------------
// Recording

type Sims = { calcom: CalcomSim; calendly: CalendlySim; tidycal: TidyCalSim; lacrm: LacrmSim };
let sims: Sims;
/** Recorded responses by "METHOD url" (schedulers) or by LACRM function name. */
const recorded = new Map<string, HttpResponse>();
/** The first valid body seen per endpoint name, lists cut to KEEP items. */
const bases = new Map<string, unknown>();

const keyOf = (req: HttpRequest) => `${req.method} ${req.url}`;

function keep(source: SyncSource, recording: RecordingHttp) {
  for (const { req, res } of recording.records) {
    const key = source === 'lacrm' ? req.endpoint : keyOf(req);
    if (!recorded.has(key)) recorded.set(key, res);
    const baseKey = `${source} ${req.endpoint}`;
    if (!bases.has(baseKey) && res.status === 200) bases.set(baseKey, trimLists(parse(res.text)));
  }
}

function parse(text: string): unknown {
  return text.trim() === '' ? '' : (JSON.parse(text) as unknown);
}

/** Cuts the item list of a list envelope to KEEP items and marks it as the last page. */
function trimLists(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  for (const list of ['data', 'collection', 'Results']) {
    if (Array.isArray(copy[list])) copy[list] = (copy[list] as unknown[]).slice(0, KEEP);
  }
  if (copy.pagination && typeof copy.pagination === 'object') {
    const pagination = { ...(copy.pagination as Record<string, unknown>) };
    if ('hasNextPage' in pagination) pagination.hasNextPage = false;
    if ('next_page_token' in pagination) pagination.next_page_token = null;
    if ('next_page' in pagination) pagination.next_page = null;
    copy.pagination = pagination;
  }
  if ('HasMoreResults' in copy) copy.HasMoreResults = false;
  return copy;
}

function base(source: SyncSource, endpoint: string): unknown {
  const body = bases.get(`${source} ${endpoint}`);
  if (body === undefined) throw new Error(`nothing recorded for ${source} ${endpoint}`);
  return body;
}

beforeAll(async () => {
  const practice = generatePractice({ seed: 11, clients: 4, contacts: 6, years: 1 });
  sims = {
    calcom: await startCalcomSim({ data: practice.calcom }),
    calendly: await startCalendlySim({ data: practice.calendly, rateLimit: false }),
    tidycal: await startTidyCalSim({ data: practice.tidycal }),
    lacrm: await startLacrmSim({
      user: practice.lacrm.user,
      contacts: practice.lacrm.contacts,
      customFields: practice.lacrm.customFields,
    }),
  };

  const calcomHttp = new RecordingHttp(realHttp('calcom'));
  const calcom = connectorFor('calcom', calcomHttp);
  await calcom.verify(AbortSignal.timeout(5000));
  const calcomUids: string[] = [];
  await calcom.sync(syncRequest((b) => calcomUids.push(b.sourceId)));
  await calcom.fetchOne(calcomUids[0]!, AbortSignal.timeout(5000));
  keep('calcom', calcomHttp);

  const calendlyHttp = new RecordingHttp(realHttp('calendly'));
  const calendly = connectorFor('calendly', calendlyHttp);
  const eventUris: string[] = [];
  await calendly.verify(AbortSignal.timeout(5000));
  await calendly.sync(syncRequest((b) => eventUris.push(b.sourceId)));
  await connectorFor('calendly', calendlyHttp).fetchOne(eventUris[0]!, AbortSignal.timeout(5000));
  keep('calendly', calendlyHttp);

  const tidycalHttp = new RecordingHttp(realHttp('tidycal'));
  const tidycal = connectorFor('tidycal', tidycalHttp);
  const tidycalIds: string[] = [];
  await tidycal.verify(AbortSignal.timeout(5000));
  await tidycal.sync(syncRequest((b) => tidycalIds.push(b.sourceId)));
  await tidycal.fetchOne(tidycalIds[0]!, AbortSignal.timeout(5000));
  // The bookings embed their type, so the connector never asked for the list: ask once here.
  await tidycalHttp.request({
    method: 'GET',
    url: `${sims.tidycal.baseUrl}/booking-types?page=1`,
    endpoint: 'GET /booking-types',
    headers: { authorization: `Bearer ${sims.tidycal.apiKey}`, accept: 'application/json' },
  });
  keep('tidycal', tidycalHttp);

  const lacrmHttp = new RecordingHttp(realHttp('lacrm'));
  const lacrm = lacrmClientFor(lacrmHttp);
  const contacts = await lacrm.getContacts({ maxNumberOfResults: 5 });
  const contactId = contacts.results[0]!.ContactId;
  await lacrm.getUser();
  await lacrm.getContact(contactId);
  await lacrm.getCustomFields();
  const eventId = await lacrm.createEvent({
    name: 'Portfolio review',
    start: '2026-05-04T10:00:00-05:00',
    end: '2026-05-04T11:00:00-05:00',
    description: 'Cadence marker example',
    attendees: [{ isUser: false, attendeeId: contactId }],
  });
  await lacrm.getEvent(eventId);
  await lacrm.getEvents({ contactId });
  await lacrm.editEvent(eventId, { location: 'Office' });
  const noteId = await lacrm.createNote({ contactId, note: 'Reviewed the plan.' });
  await lacrm.getNote(noteId);
  await lacrm.getNotes({ contactId });
  await lacrm.createContact({
    isCompany: false,
    assignedTo: String(practice.lacrm.user.UserId),
    name: { firstName: 'Quinn', lastName: 'Example' },
    emails: ['quinn@example.com'],
  });
  keep('lacrm', lacrmHttp);
}, 60_000);

afterAll(async () => {
  if (sims) await Promise.all(Object.values(sims).map((s) => s.close()));
});

// ---------------------------------------------------------------------------------------------
// What a run is

function syncRequest(onBooking: (b: NormalizedBooking) => void = () => {}): SyncRequest {
  return {
    mode: 'full',
    checkpoint: null,
    now: NOW,
    signal: AbortSignal.timeout(10_000),
    known: () => new Map(),
    onPage: (page) => {
      for (const item of page.items) if (item.type === 'booking') onBooking(item.booking);
    },
  };
}

function connectorFor(source: 'calcom' | 'calendly' | 'tidycal', http: HttpClient) {
  switch (source) {
    case 'calcom':
      return createCalcomConnector({
        http,
        baseUrl: sims.calcom.baseUrl,
        apiKey: sims.calcom.apiKey,
      });
    case 'calendly':
      return createCalendlyConnector({
        http,
        baseUrl: sims.calendly.baseUrl,
        apiKey: sims.calendly.apiKey,
      });
    case 'tidycal':
      return createTidycalConnector({
        http,
        baseUrl: sims.tidycal.baseUrl,
        apiKey: sims.tidycal.apiKey,
      });
  }
}

function lacrmClientFor(http: HttpClient): LacrmClient {
  return createLacrmClient({ http, baseUrl: sims.lacrm.baseUrl, apiKey: sims.lacrm.apiKey });
}

type ApiCase = Readonly<{
  source: SyncSource;
  /** The endpoint whose answer is fuzzed (as errors name it). */
  endpoint: string;
  /** Fields Cadence relies on; `*` stands for every index of the list. */
  required: readonly JsonPath[];
  /** Runs the call with `http`; returns what it produced, already checked for well-formedness. */
  run: (http: HttpClient) => Promise<void>;
  /** Names the call in test titles. */
  op: string;
  /** An answer in place of the recorded one for another request (undefined: the recorded one). */
  override?: (req: HttpRequest) => unknown;
}>;

const signal = () => AbortSignal.timeout(10_000);

function expectBooking(b: NormalizedBooking | null, source: SyncSource): void {
  if (b === null) return;
  expect(b.source).toBe(source);
  expect(typeof b.sourceId).toBe('string');
  expect(b.sourceId.length).toBeGreaterThan(0);
  expect(typeof b.title).toBe('string');
  expect(new Date(b.startUtc).toISOString()).toBe(b.startUtc);
  expect(new Date(b.endUtc).toISOString()).toBe(b.endUtc);
  expect(Number.isFinite(b.durationMinutes)).toBe(true);
  expect(bookingStatuses).toContain(b.status);
  for (const a of b.attendees) {
    expect(a.email === null || typeof a.email === 'string').toBe(true);
    expect(a.name === null || typeof a.name === 'string').toBe(true);
  }
  for (const answer of b.customAnswers) {
    expect(typeof answer.question).toBe('string');
    expect(typeof answer.answer).toBe('string');
  }
}

function syncCase(
  source: 'calcom' | 'calendly' | 'tidycal',
  endpoint: string,
  required: readonly JsonPath[],
  override?: ApiCase['override'],
): ApiCase {
  return {
    source,
    endpoint,
    required,
    op: 'sync',
    override,
    async run(http) {
      const bookings: NormalizedBooking[] = [];
      const result = await connectorFor(source, http).sync(syncRequest((b) => bookings.push(b)));
      expect(result.checkpoint).not.toBeUndefined();
      for (const b of bookings) expectBooking(b, source);
    },
  };
}

function fetchOneCase(
  source: 'calcom' | 'calendly' | 'tidycal',
  endpoint: string,
  required: readonly JsonPath[],
  id: () => string,
): ApiCase {
  return {
    source,
    endpoint,
    required,
    op: 'fetchOne',
    async run(http) {
      expectBooking(await connectorFor(source, http).fetchOne(id(), signal()), source);
    },
  };
}

function verifyCase(
  source: 'calcom' | 'calendly' | 'tidycal',
  endpoint: string,
  required: readonly JsonPath[],
): ApiCase {
  return {
    source,
    endpoint,
    required,
    op: 'verify',
    async run(http) {
      const verified = await (connectorFor(source, http) as SourceConnector).verify(signal());
      expect(typeof verified.account).toBe('string');
      expect(verified.ownEmails.every((e) => typeof e === 'string')).toBe(true);
    },
  };
}

function lacrmCase(
  endpoint: string,
  required: readonly JsonPath[],
  call: (client: LacrmClient) => Promise<unknown>,
  check: (value: unknown) => void,
): ApiCase {
  return {
    source: 'lacrm',
    endpoint,
    required,
    op: endpoint,
    async run(http) {
      check(await call(lacrmClientFor(http)));
    },
  };
}

const isIdString = (v: unknown) => expect(v).toMatch(/^\d+$/);
const everyItem = (check: (item: Record<string, unknown>) => void) => (value: unknown) => {
  expect(Array.isArray(value)).toBe(true);
  for (const item of value as Record<string, unknown>[]) check(item);
};

const firstOf = (source: SyncSource, endpoint: string, list: string, field: string) => () =>
  String(((base(source, endpoint) as Record<string, unknown[]>)[list]![0] as never)[field]);

const cases: readonly ApiCase[] = [
  syncCase('calcom', 'GET /bookings', [
    ['status'],
    ['data'],
    ['pagination'],
    ['pagination', 'totalItems'],
    ['pagination', 'hasNextPage'],
    ...['id', 'uid', 'title', 'status', 'start', 'end'].map((f) => ['data', '*', f]),
  ]),
  verifyCase('calcom', 'GET /bookings', [['data'], ['pagination', 'hasNextPage']]),
  fetchOneCase(
    'calcom',
    'GET /bookings/{uid}',
    [['status'], ['data'], ['data', 'uid'], ['data', 'id'], ['data', 'start'], ['data', 'end']],
    firstOf('calcom', 'GET /bookings', 'data', 'uid'),
  ),
  verifyCase('calendly', 'GET /users/me', [['resource'], ['resource', 'uri']]),
  syncCase('calendly', 'GET /scheduled_events', [
    ['collection'],
    ['pagination'],
    ...['uri', 'status', 'start_time', 'end_time'].map((f) => ['collection', '*', f]),
  ]),
  syncCase('calendly', 'GET /scheduled_events/{uuid}/invitees', [
    ['collection'],
    ['collection', '*', 'uri'],
    ['collection', '*', 'status'],
  ]),
  syncCase('calendly', 'GET /event_types', [['collection'], ['collection', '*', 'uri']]),
  fetchOneCase(
    'calendly',
    'GET /scheduled_events/{uuid}',
    [['resource'], ['resource', 'uri'], ['resource', 'start_time'], ['resource', 'status']],
    firstOf('calendly', 'GET /scheduled_events', 'collection', 'uri'),
  ),
  verifyCase('tidycal', 'GET /me', []),
  syncCase('tidycal', 'GET /bookings', [
    ['data'],
    ...['id', 'starts_at', 'ends_at'].map((f) => ['data', '*', f]),
  ]),
  // Bookings without an embedded type make the connector read the type list.
  syncCase('tidycal', 'GET /booking-types', [['data'], ['data', '*', 'id']], (req) => {
    if (req.endpoint !== 'GET /bookings') return undefined;
    if (new URL(req.url).searchParams.get('page') !== '1') return { data: [] };
    const body = base('tidycal', 'GET /bookings') as { data: object[] };
    return { data: body.data.map((b) => ({ ...b, booking_type: null })) };
  }),
  fetchOneCase(
    'tidycal',
    'GET /bookings/{id}',
    [['id'], ['starts_at'], ['ends_at']],
    firstOf('tidycal', 'GET /bookings', 'data', 'id'),
  ),
  lacrmCase(
    'GetUser',
    [['UserId'], ['Timezone']],
    (c) => c.getUser(),
    (u) => isIdString((u as { UserId: unknown }).UserId),
  ),
  lacrmCase(
    'GetContacts',
    [
      ['HasMoreResults'],
      ['Results'],
      ...['ContactId', 'IsCompany', 'AssignedTo', 'Name', 'DateCreated', 'LastUpdate'].map((f) => [
        'Results',
        '*',
        f,
      ]),
    ],
    (c) => c.getContacts().then((p) => p.results),
    everyItem((contact) => {
      isIdString(contact.ContactId);
      isIdString(contact.AssignedTo);
      expect(Array.isArray(contact.Email)).toBe(true);
    }),
  ),
  lacrmCase(
    'GetContact',
    [['ContactId'], ['Name'], ['LastUpdate']],
    (c) => c.getContact('1'),
    (contact) => isIdString((contact as { ContactId: unknown }).ContactId),
  ),
  lacrmCase(
    'GetCustomFields',
    [['Results'], ...['CustomFieldId', 'Name', 'Type'].map((f) => ['Results', '*', f])],
    (c) => c.getCustomFields(),
    everyItem((field) => {
      isIdString(field.CustomFieldId);
      expect((field.Options as unknown[]).every((o) => typeof o === 'string')).toBe(true);
    }),
  ),
  lacrmCase(
    'GetEvent',
    [['EventId'], ['StartDate'], ['EndDate'], ['DateCreated']],
    (c) => c.getEvent('1'),
    (event) => {
      const e = event as { EventId: unknown; ContactIds: unknown[]; Description: unknown };
      isIdString(e.EventId);
      expect(typeof e.Description).toBe('string');
      e.ContactIds.forEach(isIdString);
    },
  ),
  lacrmCase(
    'GetEvents',
    [['HasMoreResults'], ['Results'], ['Results', '*', 'EventId']],
    (c) => c.getEvents({}),
    everyItem((e) => isIdString(e.EventId)),
  ),
  lacrmCase(
    'GetNote',
    [['NoteId'], ['ContactId'], ['DateCreated'], ['DateDisplayedInHistory']],
    (c) => c.getNote('1'),
    (note) => expect(typeof (note as { Note: unknown }).Note).toBe('string'),
  ),
  lacrmCase(
    'GetNotes',
    [['Results'], ['Results', '*', 'NoteId'], ['Results', '*', 'ContactId']],
    (c) => c.getNotes({}),
    everyItem((n) => isIdString(n.NoteId)),
  ),
  lacrmCase(
    'CreateEvent',
    [['EventId']],
    (c) =>
      c.createEvent({
        name: 'Review',
        start: '2026-05-04T10:00:00-05:00',
        end: '2026-05-04T11:00:00-05:00',
      }),
    isIdString,
  ),
  lacrmCase(
    'CreateNote',
    [['NoteId']],
    (c) => c.createNote({ contactId: '1', note: 'x' }),
    isIdString,
  ),
  lacrmCase(
    'CreateContact',
    [['ContactId']],
    (c) => c.createContact({ isCompany: false, assignedTo: '1', name: 'Quinn Example' }),
    isIdString,
  ),
  lacrmCase(
    'EditEvent',
    [],
    (c) => c.editEvent('1', { name: 'Review' }),
    (v) => expect(v).toBeUndefined(),
  ),
];

/** The empty answer of a list endpoint, for pages the recording never asked for. */
function emptyAnswer(source: SyncSource, endpoint: string): unknown {
  if (source === 'calcom')
    return { status: 'success', data: [], pagination: { totalItems: 0, hasNextPage: false } };
  if (source === 'calendly') return { collection: [], pagination: { next_page_token: null } };
  if (source === 'tidycal' && !endpoint.includes('{')) return { data: [] };
  throw new Error(`no answer for ${source} ${endpoint}`);
}

/**
 * Runs `c` with the first request to its endpoint answered by `fuzzed`; every other request gets
 * its recorded answer (or an empty list page the recording never needed). Returns the outcome and
 * whether the fuzzed endpoint was reached at all.
 */
async function runCase(
  c: ApiCase,
  fuzzed: HttpResponse,
): Promise<{ error: unknown; reached: boolean }> {
  let reached = false;
  const http = new ScriptedHttp(c.source, (req) => {
    if (req.endpoint === c.endpoint && !reached) {
      reached = true;
      return fuzzed;
    }
    const override = c.override?.(req);
    if (override !== undefined) return jsonResponse(override);
    const res = recorded.get(c.source === 'lacrm' ? req.endpoint : keyOf(req));
    return res ?? jsonResponse(emptyAnswer(c.source, req.endpoint));
  });
  try {
    await c.run(http);
    return { error: null, reached };
  } catch (error) {
    return { error, reached };
  }
}

function bodyNamesAnErrorCode(text: string): boolean {
  try {
    const body = JSON.parse(text) as unknown;
    return body !== null && typeof body === 'object' && !Array.isArray(body) && 'ErrorCode' in body;
  } catch {
    return false;
  }
}

/** The error, if any, is a NetError naming the source and endpoint; never a crash. */
function expectNamedFailure(c: ApiCase, error: unknown, status: number, text: string): void {
  if (error === null) return;
  if (!(error instanceof NetError)) throw error; // a TypeError or the like: the property fails
  expect(error.message.startsWith(`${sourceLabels[c.source]} ${c.endpoint}: `)).toBe(true);
  // LACRM answers every call with 200 (other statuses are failures); the schedulers use any 2xx.
  const success = c.source === 'lacrm' ? status === 200 : status >= 200 && status < 300;
  if (success) {
    // A success status can only fail on the shape — or, at LACRM, on a refusal in the body.
    if (error instanceof LacrmError || error.name === 'AuthError')
      expect(c.source === 'lacrm' && bodyNamesAnErrorCode(text)).toBe(true);
    else expect(error).toBeInstanceOf(SchemaMismatchError);
  }
}

function expand(path: JsonPath, body: unknown): JsonPath[] {
  const star = path.indexOf('*');
  if (star < 0) return [path];
  const list = path.slice(0, star).reduce<unknown>((n, k) => (n as never)[k], body) as unknown[];
  return list.flatMap((_, i) => expand([...path.slice(0, star), i, ...path.slice(star + 1)], body));
}

describe.each(cases.map((c) => [`${c.source} ${c.endpoint} (${c.op})`, c] as const))(
  '%s',
  (_name, c) => {
    it('passes with the recorded answer', async () => {
      const { error, reached } = await runCase(c, jsonResponse(base(c.source, c.endpoint)));
      expect(reached).toBe(true);
      if (error) throw error;
    });

    it('answers arbitrary bodies and statuses with a result or a named NetError', async () => {
      await fc.assert(
        fc.asyncProperty(
          anyBodyText,
          fc.oneof(fc.constant(200), fc.integer({ min: 200, max: 599 })),
          async (text, status) => {
            const { error } = await runCase(c, textResponse(text, status));
            expectNamedFailure(c, error, status, text);
          },
        ),
        { numRuns: RUNS },
      );
    });

    const body = () => base(c.source, c.endpoint);
    const hasFields = () => typeof body() === 'object' && body() !== null;

    it('answers any field deleted, nulled or mistyped with a result or a SchemaMismatchError', async () => {
      if (!hasFields()) return; // an empty-bodied answer has no fields to break
      await fc.assert(
        fc.asyncProperty(anyMutation(body()), async (mutation) => {
          const mutated = mutate(body(), mutation);
          const { error } = await runCase(c, jsonResponse(mutated));
          expectNamedFailure(c, error, 200, JSON.stringify(mutated));
        }),
        { numRuns: RUNS },
      );
    });

    it('refuses a broken required field, naming its path', async () => {
      const paths = c.required.flatMap((p) => expand(p, body()));
      if (c.required.length === 0) return;
      expect(paths.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), mutationKind, async (path, kind) => {
          const mutated = mutate(body(), { path, kind });
          const { error, reached } = await runCase(c, jsonResponse(mutated));
          expect(reached).toBe(true);
          expect(error).toBeInstanceOf(SchemaMismatchError);
          const message = (error as Error).message;
          expect(message.startsWith(`${sourceLabels[c.source]} ${c.endpoint}: `)).toBe(true);
          // Deleting a list element shifts the rest: the path named is the list's or the element's.
          const named =
            kind === 'delete' && typeof path[path.length - 1] === 'number'
              ? pathText(path.slice(0, -1))
              : pathText(path);
          expect(message).toContain(named);
        }),
        { numRuns: Math.min(RUNS, paths.length * 3) },
      );
    });
  },
);
