// The Less Annoying CRM v2 client: typed functions over LACRM's single `POST /v2/` endpoint, each
// response parsed with zod (./schemas.ts) before anything else sees it. Reads, edits and deletes
// are retried by the HttpClient; creates are not (LACRM has no idempotency keys, so a lost answer
// is surfaced and the push executor looks for its marker first; see createOutcomeUnknown).
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { HttpClient, HttpResponse } from '../../net/http';
import { SchemaMismatchError } from '../../net/errors';
import { createLogger } from '../../log';
import { describeZodError } from '../../../shared/result';
import { badKeyError, LacrmError, lacrmServerError, looksLikeBadKey } from './errors';
import { parseJsonKeepingIds } from './json';
import {
  contactSchema,
  createdContactSchema,
  createdEventSchema,
  createdNoteSchema,
  customFieldSchema,
  emptySuccessSchema,
  errorBodySchema,
  eventSchema,
  noteSchema,
  pageSchema,
  userSchema,
} from './schemas';
import type {
  LacrmAttendanceStatus,
  LacrmContact,
  LacrmCustomField,
  LacrmEvent,
  LacrmNote,
  LacrmRecordType,
  LacrmUser,
} from './types';

export { createOutcomeUnknown, LacrmError } from './errors';
export { customFieldProblems, type ExpectedCustomField } from './fields';
export { normalizeContact, type NormalizedLacrmContact } from './normalize';

/** The largest page LACRM serves. */
export const LACRM_MAX_PAGE_SIZE = 10_000;

export type LacrmClientOptions = Readonly<{
  /** An HttpClient for source 'lacrm'. */
  http: HttpClient;
  /** The v2 endpoint, e.g. https://api.lessannoyingcrm.com/v2/ (sent to exactly as given). */
  baseUrl: string;
  apiKey: string;
  /** Page size of the list calls this client pages through itself (default and maximum 10,000). */
  pageSize?: number;
}>;

export type CallOptions = Readonly<{ signal?: AbortSignal }>;

export type LacrmPage<T> = Readonly<{ hasMoreResults: boolean; results: T[] }>;

export type ContactPage = Readonly<{
  /** 1-based page number of the request that produced it. */
  page: number;
  contacts: LacrmContact[];
}>;

export type SortDirection = 'Ascending' | 'Descending';

export type GetContactsParams = Readonly<{
  searchTerms?: string;
  recordTypeFilter?: 'Contacts' | 'Companies';
  ownerFilter?: readonly string[];
  sortBy?: 'Relevance' | 'FirstName' | 'LastName' | 'CompanyName' | 'DateCreated' | 'LastUpdate';
  sortDirection?: SortDirection;
  advancedFilters?: readonly Readonly<{ Name: string; Operation: string; Value?: unknown }>[];
  maxNumberOfResults?: number;
  page?: number;
}>;

export type PullOptions = CallOptions & Readonly<{ pageSize?: number }>;

/** A custom-field value as LACRM takes it: Date fields as yyyy-mm-dd, Dropdowns as option text. */
export type LacrmFieldValue = string | number | boolean | readonly string[];

export type LacrmTypedInput = string | Readonly<{ text: string; type?: string }>;

export type LacrmNameInput =
  | string
  | Readonly<{
      salutation?: string;
      firstName?: string;
      middleName?: string;
      lastName?: string;
      suffix?: string;
    }>;

export type CreateContactInput = Readonly<{
  isCompany: boolean;
  /** A UserId, usually GetUser's. */
  assignedTo: string;
  /** A person's name, or the company's (company names are unique in LACRM). */
  name: LacrmNameInput;
  emails?: readonly LacrmTypedInput[];
  phones?: readonly LacrmTypedInput[];
  companyName?: string;
  jobTitle?: string;
  backgroundInfo?: string;
  /** By exact label, e.g. { "Next review due": "2025-09-14" }. */
  customFields?: Readonly<Record<string, LacrmFieldValue>>;
}>;

/**
 * What to change on a contact. A key left out is left alone; `null` blanks the field. Emails and
 * phones are replaced wholesale by the list given, so pass them only to change them.
 */
export type EditContactChanges = Readonly<{
  name?: LacrmNameInput;
  emails?: readonly LacrmTypedInput[] | null;
  phones?: readonly LacrmTypedInput[] | null;
  companyName?: string | null;
  jobTitle?: string | null;
  backgroundInfo?: string | null;
  customFields?: Readonly<Record<string, LacrmFieldValue | null>>;
}>;

export type LacrmAttendeeInput = Readonly<{
  isUser: boolean;
  attendeeId: string;
  attendanceStatus?: LacrmAttendanceStatus;
}>;

export type CreateEventInput = Readonly<{
  name: string;
  /** ISO 8601 with an explicit offset; its offset becomes the event's time zone. */
  start: string;
  end: string;
  isAllDay?: boolean;
  location?: string;
  description?: string;
  /** Contacts are linked as attendees with isUser false (v2 has no ContactIds parameter). */
  attendees?: readonly LacrmAttendeeInput[];
}>;

/** Partial event update. Whether LACRM merges attendees is unconfirmed: always send the full list. */
export type EditEventChanges = Readonly<{
  name?: string;
  start?: string;
  end?: string;
  isAllDay?: boolean;
  location?: string | null;
  description?: string | null;
  attendees?: readonly LacrmAttendeeInput[];
}>;

export type GetEventsParams = Readonly<{
  contactId?: string;
  /** Inclusive bounds: a Date (yyyy-mm-dd) or a DateTime with offset. */
  startDate?: string;
  endDate?: string;
  sortDirection?: SortDirection;
}>;

export type CreateNoteInput = Readonly<{
  contactId: string;
  /** Plain text; LACRM escapes HTML and keeps newlines. */
  note: string;
  /** DateTime with offset; defaults to now at LACRM. Use the meeting's time. */
  dateDisplayedInHistory?: string;
}>;

export type EditNoteChanges = Readonly<{ note?: string; dateDisplayedInHistory?: string }>;

export type GetNotesParams = Readonly<{
  contactId?: string;
  dateFilterStart?: string;
  dateFilterEnd?: string;
  sortDirection?: SortDirection;
}>;

/** What a delete found: LACRM removed it now, or it was not there any more (deleted earlier). */
export type DeleteOutcome = 'deleted' | 'already_gone';

export type LacrmClient = Readonly<{
  getUser(options?: CallOptions): Promise<LacrmUser>;
  getContacts(params?: GetContactsParams, options?: CallOptions): Promise<LacrmPage<LacrmContact>>;
  getContact(contactId: string, options?: CallOptions): Promise<LacrmContact>;
  getContactsById(contactIds: readonly string[], options?: CallOptions): Promise<LacrmContact[]>;
  /**
   * Every contact and company, oldest first, one page at a time (10,000 per call by default), so
   * the caller can store each page before the next is fetched.
   */
  pullAllContacts(options?: PullOptions): AsyncGenerator<ContactPage, void, undefined>;
  /**
   * Contacts whose LastUpdate is at or after `watermark` (an ISO date-time from an earlier pull),
   * newest first, stopping at the first older one. Use the newest LastUpdate seen as the next
   * watermark: it is LACRM's clock, not ours. Deletions are not reported; a full pull finds them.
   */
  pullContactsUpdatedSince(
    watermark: string,
    options?: PullOptions,
  ): AsyncGenerator<ContactPage, void, undefined>;
  getCustomFields(recordType?: LacrmRecordType, options?: CallOptions): Promise<LacrmCustomField[]>;
  createContact(input: CreateContactInput, options?: CallOptions): Promise<string>;
  editContact(contactId: string, changes: EditContactChanges, options?: CallOptions): Promise<void>;
  createEvent(input: CreateEventInput, options?: CallOptions): Promise<string>;
  editEvent(eventId: string, changes: EditEventChanges, options?: CallOptions): Promise<void>;
  deleteEvent(eventId: string, options?: CallOptions): Promise<DeleteOutcome>;
  getEvent(eventId: string, options?: CallOptions): Promise<LacrmEvent>;
  getEvents(params?: GetEventsParams, options?: CallOptions): Promise<LacrmEvent[]>;
  getEventsAttachedToContact(contactId: string, options?: CallOptions): Promise<LacrmEvent[]>;
  createNote(input: CreateNoteInput, options?: CallOptions): Promise<string>;
  editNote(noteId: string, changes: EditNoteChanges, options?: CallOptions): Promise<void>;
  deleteNote(noteId: string, options?: CallOptions): Promise<DeleteOutcome>;
  getNote(noteId: string, options?: CallOptions): Promise<LacrmNote>;
  getNotes(params?: GetNotesParams, options?: CallOptions): Promise<LacrmNote[]>;
}>;

const log = createLogger('crm.lacrm');

const OFFSET_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Built-in contact parameters; a custom field label may not shadow one. */
const RESERVED_CONTACT_KEYS = new Set([
  'ContactId',
  'IsCompany',
  'AssignedTo',
  'Name',
  'Email',
  'Phone',
  'Website',
  'Address',
  'Company Name',
  'Job Title',
  'Background Info',
  'Birthday',
]);

/**
 * Formats an instant as LACRM wants a DateTime: ISO 8601 with the offset of `zone` (an IANA name,
 * e.g. the booking's time zone), seconds precision: 2025-03-14T10:00:00-05:00.
 */
export function formatLacrmDateTime(instant: Date | string | number, zone: string): string {
  const base =
    instant instanceof Date
      ? DateTime.fromJSDate(instant)
      : typeof instant === 'number'
        ? DateTime.fromMillis(instant)
        : DateTime.fromISO(instant, { setZone: true });
  const zoned = base.setZone(zone);
  if (!base.isValid) throw new RangeError(`not a valid instant: ${String(instant)}`);
  if (!zoned.isValid) throw new RangeError(`not a valid time zone: ${zone}`);
  return zoned.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

function requireDateTime(what: string, value: string): void {
  if (!OFFSET_DATETIME.test(value) || !DateTime.fromISO(value, { setZone: true }).isValid)
    throw new RangeError(
      `${what} must be an ISO 8601 date-time with an explicit offset (got "${value}"); use formatLacrmDateTime`,
    );
}

function requireRangeBound(what: string, value: string | undefined): void {
  if (value === undefined || DATE_ONLY.test(value)) return;
  requireDateTime(what, value);
}

function typedParam(list: readonly LacrmTypedInput[]) {
  return list.map((entry) =>
    typeof entry === 'string'
      ? { Text: entry }
      : entry.type
        ? { Text: entry.text, Type: entry.type }
        : { Text: entry.text },
  );
}

function nameParam(name: LacrmNameInput) {
  if (typeof name === 'string') return name;
  return {
    Salutation: name.salutation,
    FirstName: name.firstName,
    MiddleName: name.middleName,
    LastName: name.lastName,
    Suffix: name.suffix,
  };
}

function attendeesParam(list: readonly LacrmAttendeeInput[]) {
  return list.map((a) => ({
    IsUser: a.isUser,
    AttendeeId: a.attendeeId,
    AttendanceStatus: a.attendanceStatus ?? 'IsAttending',
  }));
}

/** Contacts as attendees of an event (the v2 way to link an event to contacts). */
export function contactAttendees(contactIds: readonly string[]): LacrmAttendeeInput[] {
  return contactIds.map((attendeeId) => ({ isUser: false, attendeeId }));
}

function customFieldParams(fields: Readonly<Record<string, unknown>> | undefined) {
  const out: Record<string, unknown> = {};
  for (const [label, value] of Object.entries(fields ?? {})) {
    if (RESERVED_CONTACT_KEYS.has(label))
      throw new RangeError(`"${label}" is a built-in contact field, not a custom field label`);
    if (value !== undefined) out[label] = value;
  }
  return out;
}

function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > LACRM_MAX_PAGE_SIZE)
    throw new RangeError(`page size must be 1..${LACRM_MAX_PAGE_SIZE}, got ${pageSize}`);
  return pageSize;
}

export function createLacrmClient(options: LacrmClientOptions): LacrmClient {
  const { http, baseUrl } = options;
  // A key pasted with a stray space or newline would otherwise fail as a malformed header.
  const apiKey = options.apiKey.trim();
  const defaultPageSize = checkPageSize(options.pageSize ?? LACRM_MAX_PAGE_SIZE);

  const refusal = (functionName: string, response: HttpResponse, body: unknown): Error | null => {
    const parsed = errorBodySchema.safeParse(body);
    if (!parsed.success) return null;
    const description = parsed.data.ErrorDescription ?? '';
    // A 5xx is LACRM failing, not refusing: it may have done the work (a create must be checked
    // for its marker before another try), and the advisor is told it was LACRM's own fault.
    if (response.status >= 500)
      return lacrmServerError(functionName, response, parsed.data.ErrorCode, description);
    if (looksLikeBadKey(response.status, description))
      return badKeyError(functionName, response.status, response.text.slice(0, 2000), description);
    return new LacrmError(functionName, response.status, parsed.data.ErrorCode, description);
  };

  const parseBody = (functionName: string, response: HttpResponse): unknown => {
    if (response.text.trim() === '') return null;
    try {
      return parseJsonKeepingIds(response.text);
    } catch {
      const contentType = response.headers['content-type'] ?? 'no content type';
      return new SchemaMismatchError(
        'lacrm',
        functionName,
        `the body is not valid JSON (${response.text.length} bytes, ${contentType})`,
      );
    }
  };

  /** One call: send, classify the answer, parse it with `schema`. */
  async function call<S extends z.ZodType>(
    functionName: string,
    parameters: Readonly<Record<string, unknown>>,
    schema: S,
    callOptions: CallOptions | undefined,
  ): Promise<z.output<S>> {
    const write = /^(Create|Edit|Delete)/.exec(functionName)?.[1];
    const response = await http.request({
      method: 'POST',
      url: baseUrl,
      endpoint: functionName,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        // The raw key, no "Bearer" (sheet section 1).
        authorization: apiKey,
      },
      body: JSON.stringify({ Function: functionName, Parameters: parameters }),
      signal: callOptions?.signal,
      retry: write === 'Create' ? 'unsafe' : 'idempotent',
    });

    if (response.status === 401 || response.status === 403)
      throw badKeyError(functionName, response.status, response.text.slice(0, 2000), '');
    if (response.status !== 200) {
      const body = parseBody(functionName, response);
      const error = body instanceof Error ? null : refusal(functionName, response, body);
      throw error ?? http.statusError({ endpoint: functionName }, response);
    }
    const body = parseBody(functionName, response);
    if (body instanceof Error) throw body;
    // LACRM may report an error inside a 200 (PostHog's connector checks for it too).
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'ErrorCode' in body)
      throw (
        refusal(functionName, response, body) ??
        new SchemaMismatchError('lacrm', functionName, 'ErrorCode present but unreadable')
      );
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new SchemaMismatchError('lacrm', functionName, describeZodError(parsed.error));
    return parsed.data;
  }

  async function allPages<S extends z.ZodType>(
    functionName: string,
    parameters: Readonly<Record<string, unknown>>,
    item: S,
    callOptions: CallOptions | undefined,
  ): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    for (let page = 1; ; page++) {
      const result = await call(
        functionName,
        { ...parameters, MaxNumberOfResults: defaultPageSize, Page: page },
        pageSchema(item),
        callOptions,
      );
      out.push(...(result.Results as z.output<S>[]));
      if (!result.HasMoreResults) return out;
      if (result.Results.length === 0)
        throw new SchemaMismatchError(
          'lacrm',
          functionName,
          `HasMoreResults is true but page ${page} is empty`,
        );
    }
  }

  const contactsPage = (params: GetContactsParams, callOptions: CallOptions | undefined) =>
    call(
      'GetContacts',
      {
        SearchTerms: params.searchTerms,
        RecordTypeFilter: params.recordTypeFilter,
        OwnerFilter: params.ownerFilter,
        SortBy: params.sortBy,
        SortDirection: params.sortDirection,
        AdvancedFilters: params.advancedFilters,
        MaxNumberOfResults:
          params.maxNumberOfResults === undefined
            ? undefined
            : checkPageSize(params.maxNumberOfResults),
        Page: params.page,
      },
      pageSchema(contactSchema),
      callOptions,
    );

  // Probing after a failed delete tells "already deleted" (a retried delete whose first answer was
  // lost) from a real failure, without matching LACRM's error text.
  async function deleteChecked(
    deleteFunction: 'DeleteEvent' | 'DeleteNote',
    idKey: 'EventId' | 'NoteId',
    id: string,
    probe: () => Promise<unknown>,
    callOptions: CallOptions | undefined,
  ): Promise<DeleteOutcome> {
    try {
      await call(deleteFunction, { [idKey]: id }, emptySuccessSchema, callOptions);
      return 'deleted';
    } catch (error) {
      if (!(error instanceof LacrmError)) throw error;
      try {
        await probe();
      } catch (probeError) {
        if (probeError instanceof LacrmError) return 'already_gone';
      }
      throw error;
    }
  }

  return {
    getUser: (callOptions) => call('GetUser', {}, userSchema, callOptions),

    async getContacts(params = {}, callOptions) {
      const result = await contactsPage(params, callOptions);
      return { hasMoreResults: result.HasMoreResults, results: result.Results };
    },

    getContact: (contactId, callOptions) =>
      call('GetContact', { ContactId: contactId }, contactSchema, callOptions),

    getContactsById: (contactIds, callOptions) =>
      allPages('GetContactsById', { ContactIds: contactIds }, contactSchema, callOptions),

    async *pullAllContacts(pullOptions = {}) {
      const pageSize = checkPageSize(pullOptions.pageSize ?? defaultPageSize);
      // Oldest first: new contacts land at the end, edits do not move anyone between pages.
      const seen = new Set<string>();
      for (let page = 1; ; page++) {
        const result = await contactsPage(
          { sortBy: 'DateCreated', sortDirection: 'Ascending', maxNumberOfResults: pageSize, page },
          pullOptions,
        );
        const fresh = result.Results.filter((c) => !seen.has(c.ContactId));
        for (const c of fresh) seen.add(c.ContactId);
        log.debug(`GetContacts page ${page}: ${result.Results.length} records`);
        yield { page, contacts: fresh };
        if (!result.HasMoreResults) return;
        if (result.Results.length === 0)
          throw new SchemaMismatchError(
            'lacrm',
            'GetContacts',
            `HasMoreResults is true but page ${page} is empty`,
          );
      }
    },

    async *pullContactsUpdatedSince(watermark, pullOptions = {}) {
      const since = Date.parse(watermark);
      if (!Number.isFinite(since)) throw new RangeError(`not a date-time watermark: ${watermark}`);
      const pageSize = checkPageSize(pullOptions.pageSize ?? defaultPageSize);
      let previous = Number.POSITIVE_INFINITY;
      for (let page = 1; ; page++) {
        const result = await contactsPage(
          { sortBy: 'LastUpdate', sortDirection: 'Descending', maxNumberOfResults: pageSize, page },
          pullOptions,
        );
        const changed: LacrmContact[] = [];
        let reachedOlder = false;
        for (const contact of result.Results) {
          const updated = Date.parse(contact.LastUpdate);
          // The stop rule is only sound if LACRM really sorted; refuse to guess otherwise.
          if (updated > previous)
            throw new SchemaMismatchError(
              'lacrm',
              'GetContacts',
              `Results.${result.Results.indexOf(contact)}.LastUpdate: not in descending order on page ${page}`,
            );
          previous = updated;
          if (updated < since) {
            reachedOlder = true;
            break;
          }
          changed.push(contact);
        }
        if (changed.length > 0) yield { page, contacts: changed };
        if (reachedOlder || !result.HasMoreResults) return;
        if (result.Results.length === 0)
          throw new SchemaMismatchError(
            'lacrm',
            'GetContacts',
            `HasMoreResults is true but page ${page} is empty`,
          );
      }
    },

    getCustomFields: (recordType = 'Contact', callOptions) =>
      allPages('GetCustomFields', { RecordType: recordType }, customFieldSchema, callOptions),

    async createContact(input, callOptions) {
      const created = await call(
        'CreateContact',
        {
          IsCompany: input.isCompany,
          AssignedTo: input.assignedTo,
          Name: nameParam(input.name),
          Email: input.emails && typedParam(input.emails),
          Phone: input.phones && typedParam(input.phones),
          'Company Name': input.companyName,
          'Job Title': input.jobTitle,
          'Background Info': input.backgroundInfo,
          ...customFieldParams(input.customFields),
        },
        createdContactSchema,
        callOptions,
      );
      return created.ContactId;
    },

    async editContact(contactId, changes, callOptions) {
      // undefined keys vanish in JSON (left alone); null survives (blanks the field).
      const listOrNull = (list: readonly LacrmTypedInput[] | null | undefined) =>
        list === null ? null : list && typedParam(list);
      await call(
        'EditContact',
        {
          ContactId: contactId,
          Name: changes.name === undefined ? undefined : nameParam(changes.name),
          Email: listOrNull(changes.emails),
          Phone: listOrNull(changes.phones),
          'Company Name': changes.companyName,
          'Job Title': changes.jobTitle,
          'Background Info': changes.backgroundInfo,
          ...customFieldParams(changes.customFields),
        },
        emptySuccessSchema,
        callOptions,
      );
    },

    async createEvent(input, callOptions) {
      requireDateTime('start', input.start);
      requireDateTime('end', input.end);
      const created = await call(
        'CreateEvent',
        {
          Name: input.name,
          StartDate: input.start,
          EndDate: input.end,
          IsAllDay: input.isAllDay,
          Location: input.location,
          Description: input.description,
          Attendees: input.attendees && attendeesParam(input.attendees),
        },
        createdEventSchema,
        callOptions,
      );
      return created.EventId;
    },

    async editEvent(eventId, changes, callOptions) {
      if (changes.start !== undefined) requireDateTime('start', changes.start);
      if (changes.end !== undefined) requireDateTime('end', changes.end);
      await call(
        'EditEvent',
        {
          EventId: eventId,
          Name: changes.name,
          StartDate: changes.start,
          EndDate: changes.end,
          IsAllDay: changes.isAllDay,
          Location: changes.location,
          Description: changes.description,
          Attendees: changes.attendees && attendeesParam(changes.attendees),
        },
        emptySuccessSchema,
        callOptions,
      );
    },

    deleteEvent(eventId, callOptions) {
      return deleteChecked(
        'DeleteEvent',
        'EventId',
        eventId,
        () => call('GetEvent', { EventId: eventId }, eventSchema, callOptions),
        callOptions,
      );
    },

    getEvent: (eventId, callOptions) =>
      call('GetEvent', { EventId: eventId }, eventSchema, callOptions),

    getEvents(params = {}, callOptions) {
      requireRangeBound('startDate', params.startDate);
      requireRangeBound('endDate', params.endDate);
      return allPages(
        'GetEvents',
        {
          ContactId: params.contactId,
          StartDate: params.startDate,
          EndDate: params.endDate,
          SortDirection: params.sortDirection ?? 'Ascending',
        },
        eventSchema,
        callOptions,
      );
    },

    getEventsAttachedToContact: (contactId, callOptions) =>
      allPages('GetEventsAttachedToContact', { ContactId: contactId }, eventSchema, callOptions),

    async createNote(input, callOptions) {
      if (input.dateDisplayedInHistory !== undefined)
        requireDateTime('dateDisplayedInHistory', input.dateDisplayedInHistory);
      const created = await call(
        'CreateNote',
        {
          ContactId: input.contactId,
          Note: input.note,
          DateDisplayedInHistory: input.dateDisplayedInHistory,
        },
        createdNoteSchema,
        callOptions,
      );
      return created.NoteId;
    },

    async editNote(noteId, changes, callOptions) {
      if (changes.dateDisplayedInHistory !== undefined)
        requireDateTime('dateDisplayedInHistory', changes.dateDisplayedInHistory);
      await call(
        'EditNote',
        {
          NoteId: noteId,
          Note: changes.note,
          DateDisplayedInHistory: changes.dateDisplayedInHistory,
        },
        emptySuccessSchema,
        callOptions,
      );
    },

    deleteNote(noteId, callOptions) {
      return deleteChecked(
        'DeleteNote',
        'NoteId',
        noteId,
        () => call('GetNote', { NoteId: noteId }, noteSchema, callOptions),
        callOptions,
      );
    },

    getNote: (noteId, callOptions) => call('GetNote', { NoteId: noteId }, noteSchema, callOptions),

    getNotes(params = {}, callOptions) {
      requireRangeBound('dateFilterStart', params.dateFilterStart);
      requireRangeBound('dateFilterEnd', params.dateFilterEnd);
      return allPages(
        'GetNotes',
        {
          ContactId: params.contactId,
          DateFilterStart: params.dateFilterStart,
          DateFilterEnd: params.dateFilterEnd,
          SortDirection: params.sortDirection ?? 'Descending',
        },
        noteSchema,
        callOptions,
      );
    },
  };
}
