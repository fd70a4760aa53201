// A local Less Annoying CRM (API v2) that behaves as ../../../../../shared/api/lacrm.md says: one
// `POST /v2/` endpoint taking `{Function, Parameters}`, the raw key in `Authorization`, every error
// an HTTP 400 `{ErrorCode, ErrorDescription}` (a bad key too), `{HasMoreResults, Results}` paging
// capped at 10,000, ~31-digit ids, custom fields keyed by their exact label, empty bodies from
// Edit*/Delete*. Where the sheet leaves a behaviour open the simulator takes the stricter reading
// (offset-less DateTimes are refused, unknown parameters are refused, Attendees are replaced
// wholesale on EditEvent) so a client that passes here does not lean on luck.
//
// Test hooks let push tests prove "written exactly once": per-Function call counts, the live events
// and notes carrying a marker, and each contact's current record.
import { DateTime, type Zone } from 'luxon';
import { z } from 'zod';
import type {
  LacrmAttendee,
  LacrmContact,
  LacrmCustomFieldType,
  LacrmEvent,
  LacrmNote,
  LacrmUser,
} from '../../crm/lacrm/types';
import type { FaultPlan } from './kit';
import {
  startSimServer,
  WindowRateLimiter,
  type LoggedRequest,
  type SimRequest,
  type SimResponse,
} from './kit';

export type LacrmSimCustomField = Readonly<{
  /** The label; writes and reads key the value by it exactly. */
  name: string;
  type: LacrmCustomFieldType;
  /** Contact fields and company fields are separate sets (default Contact). */
  recordType?: 'Contact' | 'Company';
  /** Option texts for Dropdown, RadioList and Checkbox fields. */
  options?: readonly string[];
  archived?: boolean;
}>;

/** The custom fields Cadence reads and writes, as an advisor would set them up. */
export const defaultLacrmCustomFields: readonly LacrmSimCustomField[] = [
  { name: 'Last portfolio review', type: 'Date' },
  { name: 'Next review due', type: 'Date' },
  { name: 'Meetings last 12 months', type: 'Number' },
  { name: 'Client tier', type: 'Dropdown', options: ['A', 'B', 'C'] },
];

/** A numeric UserId, as the docs' examples show it (the client must turn it into a string). */
export const defaultLacrmUser: LacrmUser = {
  UserId: 483823,
  FirstName: 'Avery',
  LastName: 'Advisor',
  Email: 'avery@advisor.example',
  Timezone: 'America/Chicago',
};

export type LacrmSimOptions = Readonly<{
  apiKey?: string;
  user?: LacrmUser;
  contacts?: readonly LacrmContact[];
  customFields?: readonly LacrmSimCustomField[];
  /** Off by default: LACRM publishes no limit. When on, excess requests get HTTP 429. */
  rateLimit?: Readonly<{ limit: number; windowMs?: number; retryAfterSeconds?: number }>;
  now?: () => number;
  faults?: FaultPlan;
  port?: number;
  /**
   * How Edit and Delete calls say "done". The sheet leaves it open (section 10, question 8):
   * no body at all (default), `null`, `{}` or `""`.
   */
  emptySuccessBody?: 'none' | 'null' | 'object' | 'string';
  /** Send ids as bare JSON numbers, the precision trap the data-types page warns about. */
  idsAsNumbers?: boolean;
  /** What the key may do; LACRM keys can be limited to read, create, edit and delete. */
  permissions?: Readonly<{ read?: boolean; create?: boolean; edit?: boolean; delete?: boolean }>;
  /** Source of randomness for ids (default Math.random). */
  random?: () => number;
}>;

export type LacrmSim = Readonly<{
  /** `http://127.0.0.1:<port>/v2/`: the one endpoint, trailing slash included. */
  baseUrl: string;
  apiKey: string;
  user: LacrmUser;
  faults: FaultPlan;
  log: LoggedRequest[];
  close(): Promise<void>;
  /** Authenticated calls by Function name (faults in the 'before' phase never reach here). */
  callCount(functionName: string): number;
  callCounts(): Readonly<Record<string, number>>;
  /** Live (not deleted) events whose Description contains `marker`. */
  eventsWithMarker(marker: string): number;
  /** Live notes whose text contains `marker`. */
  notesWithMarker(marker: string): number;
  events(): LacrmEvent[];
  notes(): LacrmNote[];
  contact(contactId: string): LacrmContact | undefined;
  contacts(): LacrmContact[];
  /** Adds a record as if someone typed it into the CRM; returns its ContactId. */
  addContactDirectly(
    contact: Readonly<{ IsCompany?: boolean; Name: LacrmContact['Name'] }> &
      Readonly<Record<string, unknown>>,
  ): string;
  /** Changes fields as if someone edited the record in the CRM (LastUpdate moves to now). */
  editContactDirectly(contactId: string, fields: Readonly<Record<string, unknown>>): void;
  deleteContactDirectly(contactId: string): void;
  /** An admin renamed a custom field: every record's key follows the new label. */
  renameCustomField(from: string, to: string): void;
}>;

type Permission = 'read' | 'create' | 'edit' | 'delete';

// Opaque codes in LACRM's style; clients must not match on them, only show them.
const errorCodes = {
  auth: 'k2v9x81qfa0m3c7d',
  request: '4178t6namw3vx9s6',
  function: 'p0c4h2w8e6r1t5y3',
  parameter: 'b8n3m1q6z4x9v2l7',
  notFound: 'r5t7y9u2i4o6p8a1',
  conflict: 'd3f5g7h9j2k4l6z8',
  permission: 'x1c3v5b7n9m2q4w6',
  rateLimit: 'e8r6t4y2u1i3o5p7',
} as const;
type ErrorKind = keyof typeof errorCodes;

class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MAX_PAGE_SIZE = 10_000;
const DEFAULT_PAGE_SIZE = 500;
const EMAIL_TYPES = ['Work', 'Personal', 'Other'] as const;
const PHONE_TYPES = ['Work', 'Mobile', 'Home', 'Fax', 'Other'] as const;
const WEBSITE_TYPES = ['Work', 'Personal', 'Other'] as const;
const ADDRESS_TYPES = ['Work', 'Home', 'Billing', 'Shipping', 'Other'] as const;

// ---------------------------------------------------------------------------------------------
// Parameter schemas. Strict objects: an unknown parameter (a v1 `ContactIds` on CreateEvent, a
// stray `UserCode`) is an error naming it, not something silently ignored.

const uid = z.union([z.string().regex(/^\d+$/, 'must be a Uid (digits)'), z.number().int()]);
const uidList = z.array(uid);
const pageSize = z
  .number()
  .int()
  .min(1, 'must be at least 1')
  .max(MAX_PAGE_SIZE, `can't be more than ${MAX_PAGE_SIZE.toLocaleString('en-US')}`);
const pageNumber = z.number().int().min(1, 'pages are numbered from 1');
const sortDirection = z.enum(['Ascending', 'Descending']);
const paging = { MaxNumberOfResults: pageSize.optional(), Page: pageNumber.optional() };

// DateTime with an explicit offset: the sheet says the API asks for it; one without is refused
// because what LACRM does with it is undocumented.
const DATETIME_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const dateTime = z.string().superRefine((s, ctx) => {
  if (DATETIME_WITH_OFFSET.test(s)) {
    if (!DateTime.fromISO(s, { setZone: true }).isValid)
      ctx.addIssue({ code: 'custom', message: 'is not a real date and time' });
    return;
  }
  ctx.addIssue({
    code: 'custom',
    message: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(s)
      ? 'has no UTC offset; send e.g. 2019-07-25T16:00:00-05:00'
      : 'must be an ISO 8601 DateTime with a UTC offset, e.g. 2019-07-25T16:00:00-05:00',
  });
});
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const dateOnly = z
  .string()
  .regex(DATE_ONLY, 'must be a Date (yyyy-mm-dd)')
  .refine((s) => DateTime.fromISO(s).isValid, { message: 'is not a real date' });
/** Range bounds of GetEvents/GetNotes: a Date (whole day in the user's zone) or a DateTime. */
const rangeBound = z.union([dateOnly, dateTime]);

const attendee = z.strictObject({
  IsUser: z.boolean(),
  AttendeeId: uid,
  AttendanceStatus: z.enum(['IsAttending', 'Maybe', 'NotAttending']),
});

const eventFields = {
  Name: z.string().min(1, "can't be empty"),
  StartDate: dateTime,
  EndDate: dateTime,
  IsAllDay: z.boolean().optional(),
  Location: z.string().nullable().optional(),
  Description: z.string().nullable().optional(),
  CalendarId: uid.optional(),
  Attendees: z.array(attendee).optional(),
  IsRecurring: z.boolean().optional(),
  RecurrenceRule: z.string().nullable().optional(),
  EndRecurrenceRule: dateTime.nullable().optional(),
};

const params = {
  GetUser: z.strictObject({}),
  GetContacts: z.strictObject({
    SearchTerms: z.string().optional(),
    RequiresWriteAccess: z.boolean().optional(),
    RecordTypeFilter: z.enum(['Contacts', 'Companies']).optional(),
    OwnerFilter: uidList.optional(),
    SortBy: z
      .enum(['Relevance', 'FirstName', 'LastName', 'CompanyName', 'DateCreated', 'LastUpdate'])
      .optional(),
    SortDirection: sortDirection.optional(),
    AdvancedFilters: z
      .array(z.strictObject({ Name: z.string(), Operation: z.string(), Value: z.unknown() }))
      .optional(),
    ...paging,
  }),
  GetContact: z.strictObject({ ContactId: uid }),
  GetContactsById: z.strictObject({ ContactIds: uidList, ...paging }),
  GetCustomFields: z.strictObject({
    RecordType: z.enum(['Contact', 'Company', 'Pipeline']).optional(),
    PipelineId: uid.optional(),
    IncludeArchivedFields: z.boolean().optional(),
    IncludeSections: z.boolean().optional(),
    ...paging,
  }),
  CreateEvent: z.strictObject(eventFields),
  EditEvent: z.strictObject({
    EventId: uid,
    Name: eventFields.Name.optional(),
    StartDate: dateTime.optional(),
    EndDate: dateTime.optional(),
    IsAllDay: eventFields.IsAllDay,
    Location: eventFields.Location,
    Description: eventFields.Description,
    CalendarId: eventFields.CalendarId,
    Attendees: eventFields.Attendees,
    IsRecurring: eventFields.IsRecurring,
    RecurrenceRule: eventFields.RecurrenceRule,
    EndRecurrenceRule: eventFields.EndRecurrenceRule,
  }),
  DeleteEvent: z.strictObject({ EventId: uid }),
  GetEvent: z.strictObject({ EventId: uid }),
  GetEvents: z.strictObject({
    StartDate: rangeBound.optional(),
    EndDate: rangeBound.optional(),
    UserFilter: uidList.optional(),
    CalendarFilter: uidList.optional(),
    ContactId: uid.optional(),
    SortDirection: sortDirection.optional(),
    ...paging,
  }),
  GetEventsAttachedToContact: z.strictObject({ ContactId: uid, ...paging }),
  CreateNote: z.strictObject({
    ContactId: uid,
    Note: z.string().min(1, "can't be empty"),
    DateDisplayedInHistory: dateTime.optional(),
  }),
  EditNote: z.strictObject({
    NoteId: uid,
    Note: z.string().min(1, "can't be empty").optional(),
    DateDisplayedInHistory: dateTime.optional(),
  }),
  DeleteNote: z.strictObject({ NoteId: uid }),
  GetNote: z.strictObject({ NoteId: uid }),
  GetNotes: z.strictObject({
    SortDirection: sortDirection.optional(),
    DateFilterStart: rangeBound.optional(),
    DateFilterEnd: rangeBound.optional(),
    UserFilter: uidList.optional(),
    ContactId: uid.optional(),
    ...paging,
  }),
  GetNotesAttachedToContact: z.strictObject({ ContactId: uid, ...paging }),
} as const;

const typedEntry = z.strictObject({ Text: z.string(), Type: z.string().optional() });
/** Email/Phone/Website: "a single string, an array of strings, or an array of {Text, Type}". */
const multiValue = z.union([z.string(), z.array(z.string()), z.array(typedEntry)]);
const addressEntry = z.strictObject({
  Street: z.string().optional(),
  City: z.string().optional(),
  State: z.string().optional(),
  Zip: z.string().optional(),
  Country: z.string().optional(),
  Type: z.string().optional(),
});
const personName = z.union([
  z.string().min(1, "can't be empty"),
  z.strictObject({
    Salutation: z.string().optional(),
    FirstName: z.string().optional(),
    MiddleName: z.string().optional(),
    LastName: z.string().optional(),
    Suffix: z.string().optional(),
  }),
]);
const BIRTHDAY = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2})$/;

/** Built-in contact parameters (everything else must be a custom field label). */
const contactBuiltIns = {
  Name: personName,
  Email: multiValue.nullable(),
  Phone: multiValue.nullable(),
  Website: multiValue.nullable(),
  Address: z.array(addressEntry).nullable(),
  'Company Name': z.string().nullable(),
  'Job Title': z.string().nullable(),
  'Background Info': z.string().nullable(),
  Birthday: z.string().regex(BIRTHDAY, 'must be yyyy-mm-dd, or 0000-M-D for no year').nullable(),
  AssignedTo: uid,
} as const;
type BuiltInName = keyof typeof contactBuiltIns;
const builtInNames = new Set<string>(Object.keys(contactBuiltIns));

const requestBody = z.strictObject({
  Function: z.string().min(1),
  Parameters: z.record(z.string(), z.unknown()).optional(),
});

function describeIssues(error: z.ZodError, functionName: string): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid parameters for ${functionName}`;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const where = issue.path.length ? ` in ${issue.path.join('.')}` : '';
    return `Unknown parameter ${keys}${where} for ${functionName}`;
  }
  const path = issue.path.map(String).join('.');
  if (!path) return `Invalid parameters for ${functionName}: ${issue.message}`;
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return `Missing required parameter "${path}" for ${functionName}`;
  return `Invalid parameter "${path}" for ${functionName}: ${issue.message}`;
}

function parseParams<S extends z.ZodType>(
  schema: S,
  input: unknown,
  functionName: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ApiError('parameter', describeIssues(parsed.error, functionName));
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// State

type StoredContact = {
  record: Record<string, unknown>;
  createdMs: number;
  updatedMs: number;
  seq: number;
};
type StoredEvent = {
  event: Omit<LacrmEvent, 'Attendees' | 'ContactIds' | 'UserIds'> & {
    Attendees: LacrmAttendee[];
  };
  startMs: number;
  seq: number;
};
type StoredNote = { note: LacrmNote; displayedMs: number; updatedAt: string; seq: number };
type StoredField = {
  id: string;
  name: string;
  type: LacrmCustomFieldType;
  recordType: 'Contact' | 'Company';
  options: string[];
  archived: boolean;
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function isoAt(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** Parses a DateTime with offset; returns epoch ms and the text normalised in `zone` (or its own). */
function parseDateTime(text: string, zone?: Zone): { ms: number; text: string } {
  const parsed = DateTime.fromISO(text, { setZone: true });
  const inZone = zone ? parsed.setZone(zone) : parsed;
  return { ms: parsed.toMillis(), text: inZone.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ") };
}

/** The fixed offset a DateTime was written in. */
function zoneOf(text: string): Zone {
  return DateTime.fromISO(text, { setZone: true }).zone;
}

function boundMs(text: string, edge: 'start' | 'end', zone: string): number {
  if (DATE_ONLY.test(text)) {
    const day = DateTime.fromISO(text, { zone });
    return (edge === 'start' ? day.startOf('day') : day.endOf('day')).toMillis();
  }
  return DateTime.fromISO(text, { setZone: true }).toMillis();
}

function pageOf<T>(items: readonly T[], size = DEFAULT_PAGE_SIZE, page = 1) {
  const start = (page - 1) * size;
  return { HasMoreResults: items.length > start + size, Results: items.slice(start, start + size) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A lowercased string for searching and sorting a contact's name parts. */
function nameParts(record: Record<string, unknown>): {
  first: string;
  middle: string;
  last: string;
} {
  const name = record.Name;
  if (name && typeof name === 'object') {
    const n = name as Record<string, unknown>;
    return { first: text(n.FirstName), middle: text(n.MiddleName), last: text(n.LastName) };
  }
  return { first: text(name), middle: '', last: '' };
}

function typedTexts(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((e) => text((e as Record<string, unknown> | null)?.Text))
    : [];
}

export async function startLacrmSim(options: LacrmSimOptions = {}): Promise<LacrmSim> {
  const apiKey =
    options.apiKey ?? '1234567-4073197535309350529523826309111-sImUlAtEdKeYfOrCaDeNcEtEsTsOnLy0123';
  const user = options.user ?? defaultLacrmUser;
  if (!DateTime.local().setZone(user.Timezone).isValid)
    throw new Error(`lacrm sim: user Timezone "${user.Timezone}" is not an IANA zone`);
  const zone = user.Timezone;
  const userId = String(user.UserId);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const permissions = {
    read: true,
    create: true,
    edit: true,
    delete: true,
    ...options.permissions,
  };
  const limiter = options.rateLimit
    ? new WindowRateLimiter(options.rateLimit.limit, options.rateLimit.windowMs ?? 60_000)
    : null;

  const ids = new Set<string>();
  const newId = (): string => {
    for (;;) {
      let id = String(1 + Math.floor(random() * 9));
      while (id.length < 31) id += String(Math.floor(random() * 10));
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const calendarId = newId();

  let seq = 0;
  const contacts = new Map<string, StoredContact>();
  const events = new Map<string, StoredEvent>();
  const notes = new Map<string, StoredNote>();
  const calls = new Map<string, number>();
  const fields: StoredField[] = (options.customFields ?? defaultLacrmCustomFields).map((f) => ({
    id: newId(),
    name: f.name,
    type: f.type,
    recordType: f.recordType ?? 'Contact',
    options: [...(f.options ?? [])],
    archived: f.archived ?? false,
  }));

  const liveFields = (company: boolean) =>
    fields.filter((f) => !f.archived && f.recordType === (company ? 'Company' : 'Contact'));

  const nowIso = () => isoAt(now(), zone);

  const withCustomKeys = (record: Record<string, unknown>) => {
    for (const f of liveFields(record.IsCompany === true))
      if (!(f.name in record)) record[f.name] = null;
    return record;
  };

  for (const c of options.contacts ?? []) {
    const record = withCustomKeys(structuredClone({ ...c }) as Record<string, unknown>);
    ids.add(c.ContactId);
    contacts.set(c.ContactId, {
      record,
      createdMs: Date.parse(c.DateCreated),
      updatedMs: Date.parse(c.LastUpdate),
      seq: seq++,
    });
  }

  const findContact = (contactId: string, param = 'ContactId'): StoredContact => {
    const stored = contacts.get(contactId);
    if (!stored)
      throw new ApiError('notFound', `${param} ${contactId} does not match any contact or company`);
    return stored;
  };

  const companyNamed = (name: string): StoredContact | undefined => {
    const wanted = name.trim().toLowerCase();
    for (const c of contacts.values())
      if (c.record.IsCompany === true && text(c.record['Company Name']).toLowerCase() === wanted)
        return c;
    return undefined;
  };

  // -- contact field writing (CreateContact / EditContact) ------------------------------------

  const typedList = (
    param: string,
    value: z.output<typeof multiValue> | null,
    allowed: readonly string[],
  ): { Text: string; Type: string; TypeId: string }[] => {
    if (value === null) return [];
    const entries = typeof value === 'string' ? [{ Text: value }] : value;
    return entries.map((entry, i) => {
      const item = typeof entry === 'string' ? { Text: entry, Type: undefined } : entry;
      const type = item.Type === undefined || item.Type === '' ? allowed[0]! : item.Type;
      const typeIndex = allowed.indexOf(type);
      if (typeIndex < 0)
        throw new ApiError(
          'parameter',
          `Invalid parameter "${param}.${i}.Type": "${type}" is not one of ${allowed.join(', ')}`,
        );
      return { Text: item.Text, Type: type, TypeId: String(typeIndex + 1) };
    });
  };

  const customValue = (f: StoredField, value: unknown): unknown => {
    const bad = (why: string) =>
      new ApiError('parameter', `Invalid value for custom field "${f.name}" (${f.type}): ${why}`);
    if (value === null) return null;
    switch (f.type) {
      case 'Date':
        if (typeof value !== 'string' || !dateOnly.safeParse(value).success)
          throw bad('expected a Date, yyyy-mm-dd');
        return value;
      case 'Number':
      case 'Currency': {
        const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n)) throw bad('expected a number');
        return n;
      }
      case 'Dropdown':
      case 'RadioList':
        if (typeof value !== 'string' || !f.options.includes(value))
          throw bad(`expected one of ${f.options.map((o) => `"${o}"`).join(', ')}`);
        return value;
      case 'Checkbox':
        if (
          !Array.isArray(value) ||
          value.some((v) => typeof v !== 'string' || !f.options.includes(v))
        )
          throw bad(`expected a list of options from ${f.options.map((o) => `"${o}"`).join(', ')}`);
        return [...(value as string[])];
      case 'Text':
      case 'TextArea':
        if (typeof value !== 'string') throw bad('expected text');
        return value;
      case 'ContactLink':
        if (typeof value !== 'string' || !contacts.has(value)) throw bad('expected a ContactId');
        return value;
      case 'FileLink':
      case 'Signature':
      case 'Section':
      case 'SectionHeader':
      case 'TextBlock':
        throw bad('this kind of field cannot be set through the API');
    }
  };

  /** Applies the passed parameters to `record`; omitted keys stay, `null` blanks. */
  const applyContactFields = (
    functionName: string,
    record: Record<string, unknown>,
    input: Readonly<Record<string, unknown>>,
  ) => {
    const isCompany = record.IsCompany === true;
    const custom = new Map(liveFields(isCompany).map((f) => [f.name, f]));
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'ContactId' || key === 'IsCompany') continue;
      if (builtInNames.has(key)) {
        const schema = contactBuiltIns[key as BuiltInName];
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const sub = issue?.path.length ? `.${issue.path.join('.')}` : '';
          throw new ApiError(
            'parameter',
            `Invalid parameter "${key}${sub}" for ${functionName}: ${issue?.message ?? 'invalid'}`,
          );
        }
        writeBuiltIn(functionName, record, key as BuiltInName, parsed.data);
        continue;
      }
      const field = custom.get(key);
      if (!field) {
        const other = fields.find((f) => f.name === key && !f.archived);
        throw new ApiError(
          'parameter',
          other
            ? `"${key}" is a ${other.recordType.toLowerCase()} field; it can't be set on a ${isCompany ? 'company' : 'contact'}`
            : `Unknown parameter "${key}" for ${functionName}: no such field (custom fields are set by their exact label)`,
        );
      }
      record[key] = customValue(field, raw);
    }
  };

  const writeBuiltIn = (
    functionName: string,
    record: Record<string, unknown>,
    key: BuiltInName,
    value: unknown,
  ) => {
    const isCompany = record.IsCompany === true;
    switch (key) {
      case 'Name': {
        const name = value as z.output<typeof personName>;
        if (isCompany) {
          if (typeof name !== 'string')
            throw new ApiError('parameter', `Invalid parameter "Name": a company's Name is text`);
          const clash = companyNamed(name);
          if (clash && clash.record.ContactId !== record.ContactId)
            throw new ApiError('conflict', `A company named "${name}" already exists`);
          record.Name = name;
          record['Company Name'] = name;
          return;
        }
        if (typeof name === 'string') {
          const words = name.trim().split(/\s+/);
          const last = words.length > 1 ? words.pop()! : '';
          record.Name = {
            Salutation: '',
            FirstName: words.join(' '),
            MiddleName: '',
            LastName: last,
            Suffix: '',
          };
        } else {
          if (!name.FirstName?.trim() && !name.LastName?.trim())
            throw new ApiError(
              'parameter',
              `Invalid parameter "Name": needs a FirstName or LastName`,
            );
          record.Name = {
            Salutation: name.Salutation ?? '',
            FirstName: name.FirstName ?? '',
            MiddleName: name.MiddleName ?? '',
            LastName: name.LastName ?? '',
            Suffix: name.Suffix ?? '',
          };
        }
        return;
      }
      case 'Email':
        record.Email = typedList('Email', value as z.output<typeof multiValue> | null, EMAIL_TYPES);
        return;
      case 'Phone':
        record.Phone = typedList('Phone', value as z.output<typeof multiValue> | null, PHONE_TYPES);
        return;
      case 'Website':
        record.Website = typedList(
          'Website',
          value as z.output<typeof multiValue> | null,
          WEBSITE_TYPES,
        );
        return;
      case 'Address': {
        const list = (value as z.output<typeof addressEntry>[] | null) ?? [];
        record.Address = list.map((a, i) => {
          const type = a.Type || ADDRESS_TYPES[0];
          if (!ADDRESS_TYPES.includes(type as (typeof ADDRESS_TYPES)[number]))
            throw new ApiError(
              'parameter',
              `Invalid parameter "Address.${i}.Type": "${type}" is not one of ${ADDRESS_TYPES.join(', ')}`,
            );
          return {
            Street: a.Street ?? '',
            City: a.City ?? '',
            State: a.State ?? '',
            Zip: a.Zip ?? '',
            Country: a.Country ?? '',
            Type: type,
          };
        });
        return;
      }
      case 'Company Name': {
        const companyName = value as string | null;
        if (isCompany) {
          if (companyName === null || companyName.trim() === '')
            throw new ApiError('parameter', `A company's "Company Name" can't be blank`);
          writeBuiltIn(functionName, record, 'Name', companyName);
          return;
        }
        if (companyName === null || companyName.trim() === '') {
          record['Company Name'] = '';
          record.CompanyId = null;
          return;
        }
        // Linking to a company of that name, or creating it (P3).
        let company = companyNamed(companyName);
        if (!company) {
          const companyId = newId();
          company = {
            record: withCustomKeys({
              ContactId: companyId,
              IsCompany: true,
              AssignedTo: user.UserId,
              CompanyId: null,
              Name: companyName,
              'Company Name': companyName,
              Email: [],
              Phone: [],
              Website: [],
              Address: [],
              'Job Title': '',
              'Background Info': '',
              Birthday: null,
              DateCreated: nowIso(),
              LastUpdate: nowIso(),
            }),
            createdMs: now(),
            updatedMs: now(),
            seq: seq++,
          };
          contacts.set(companyId, company);
        }
        record['Company Name'] = text(company.record['Company Name']);
        record.CompanyId = company.record.ContactId;
        return;
      }
      case 'Job Title':
      case 'Background Info':
        record[key] = (value as string | null) ?? '';
        return;
      case 'Birthday':
        record.Birthday = value;
        return;
      case 'AssignedTo':
        if (String(value) !== userId)
          throw new ApiError(
            'parameter',
            `Invalid parameter "AssignedTo": no user with that UserId`,
          );
        record.AssignedTo = user.UserId;
        return;
    }
  };

  // -- search ---------------------------------------------------------------------------------

  const searchable = (record: Record<string, unknown>): string[] => {
    const { first, middle, last } = nameParts(record);
    return [
      first,
      middle,
      last,
      `${first} ${last}`,
      text(record['Company Name']),
      ...typedTexts(record.Email),
      ...typedTexts(record.Phone),
    ].map((s) => s.toLowerCase());
  };

  const advancedFilter = (
    filter: Readonly<{ Name: string; Operation: string; Value: unknown }>,
    index: number,
  ): ((record: Record<string, unknown>) => boolean) => {
    const where = `AdvancedFilters.${index}`;
    const valuesOf = (record: Record<string, unknown>): string[] => {
      switch (filter.Name) {
        case 'FirstName':
          return [nameParts(record).first];
        case 'LastName':
          return [nameParts(record).last];
        case 'Company Name':
          return [text(record['Company Name'])];
        case 'Email':
          return typedTexts(record.Email);
        case 'Phone':
          return typedTexts(record.Phone);
        default:
          throw new ApiError(
            'parameter',
            `Invalid parameter "${where}.Name": "${filter.Name}" can't be filtered on (this simulator supports FirstName, LastName, Company Name, Email, Phone)`,
          );
      }
    };
    const wanted = typeof filter.Value === 'string' ? filter.Value.toLowerCase() : null;
    const needValue = () => {
      if (wanted === null)
        throw new ApiError('parameter', `Invalid parameter "${where}.Value": expected text`);
      return wanted;
    };
    switch (filter.Operation) {
      case 'Contains': {
        const v = needValue();
        return (r) => valuesOf(r).some((s) => s.toLowerCase().includes(v));
      }
      case 'IsExactly': {
        const v = needValue();
        return (r) => valuesOf(r).some((s) => s.toLowerCase() === v);
      }
      case 'IsEmpty':
        return (r) => valuesOf(r).every((s) => s === '');
      default:
        throw new ApiError(
          'parameter',
          `Invalid parameter "${where}.Operation": "${filter.Operation}" is not supported here (Contains, IsExactly, IsEmpty)`,
        );
    }
  };

  const getContacts = (p: z.output<(typeof params)['GetContacts']>) => {
    const terms = (p.SearchTerms ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const owners = p.OwnerFilter ? new Set(p.OwnerFilter.map(String)) : null;
    const filters = (p.AdvancedFilters ?? []).map(advancedFilter);
    const phrase = (p.SearchTerms ?? '').trim().toLowerCase();
    const relevance = (record: Record<string, unknown>) => {
      if (!phrase) return 0;
      if (typedTexts(record.Email).some((e) => e.toLowerCase() === phrase)) return 3;
      const { first, last } = nameParts(record);
      if (`${first} ${last}`.toLowerCase() === phrase) return 2;
      return 1;
    };
    const matches = [...contacts.values()].filter((c) => {
      const r = c.record;
      if (p.RecordTypeFilter === 'Contacts' && r.IsCompany === true) return false;
      if (p.RecordTypeFilter === 'Companies' && r.IsCompany !== true) return false;
      if (owners && !owners.has(String(r.AssignedTo))) return false;
      if (terms.length) {
        const haystack = searchable(r);
        if (!terms.every((t) => haystack.some((h) => h.includes(t)))) return false;
      }
      return filters.every((f) => f(r));
    });
    const sortBy = p.SortBy ?? 'Relevance';
    const direction = (p.SortDirection ?? 'Descending') === 'Ascending' ? 1 : -1;
    const key = (c: StoredContact): number | string => {
      switch (sortBy) {
        case 'Relevance':
          return relevance(c.record);
        case 'FirstName':
          return nameParts(c.record).first.toLowerCase();
        case 'LastName':
          return nameParts(c.record).last.toLowerCase();
        case 'CompanyName':
          return text(c.record['Company Name']).toLowerCase();
        case 'DateCreated':
          return c.createdMs;
        case 'LastUpdate':
          return c.updatedMs;
      }
    };
    matches.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const cmp =
        typeof ka === 'number' && typeof kb === 'number'
          ? ka - kb
          : String(ka).localeCompare(String(kb));
      return cmp !== 0 ? cmp * direction : a.seq - b.seq;
    });
    return pageOf(
      matches.map((c) => c.record),
      p.MaxNumberOfResults,
      p.Page,
    );
  };

  // -- events ---------------------------------------------------------------------------------

  const checkAttendees = (list: readonly z.output<typeof attendee>[]): LacrmAttendee[] => {
    const seen = new Set<string>();
    const out: LacrmAttendee[] = [];
    list.forEach((a, i) => {
      const id = String(a.AttendeeId);
      if (a.IsUser ? id !== userId : !contacts.has(id))
        throw new ApiError(
          'notFound',
          `Invalid parameter "Attendees.${i}.AttendeeId": no ${a.IsUser ? 'user' : 'contact'} with that id`,
        );
      const dedupeKey = `${a.IsUser}:${id}`;
      if (seen.has(dedupeKey)) return;
      seen.add(dedupeKey);
      out.push({ IsUser: a.IsUser, AttendeeId: id, AttendanceStatus: a.AttendanceStatus });
    });
    return out;
  };

  const checkCalendar = (id: string | number | undefined) => {
    if (id !== undefined && String(id) !== calendarId)
      throw new ApiError('notFound', `Invalid parameter "CalendarId": no calendar with that id`);
  };

  const eventView = (stored: StoredEvent): LacrmEvent => ({
    ...stored.event,
    ContactIds: stored.event.Attendees.filter((a) => !a.IsUser).map((a) => a.AttendeeId),
    UserIds: stored.event.Attendees.filter((a) => a.IsUser).map((a) => a.AttendeeId),
    Attendees: stored.event.Attendees.map((a) => ({ ...a })),
  });

  const findEvent = (eventId: string): StoredEvent => {
    const stored = events.get(eventId);
    if (!stored) throw new ApiError('notFound', `EventId ${eventId} does not match any event`);
    return stored;
  };

  const sortedEvents = (list: StoredEvent[], direction: 'Ascending' | 'Descending') =>
    list
      .sort(
        (a, b) => (a.startMs - b.startMs || a.seq - b.seq) * (direction === 'Ascending' ? 1 : -1),
      )
      .map(eventView);

  // -- notes ----------------------------------------------------------------------------------

  const findNote = (noteId: string): StoredNote => {
    const stored = notes.get(noteId);
    if (!stored) throw new ApiError('notFound', `NoteId ${noteId} does not match any note`);
    return stored;
  };

  const sortedNotes = (list: StoredNote[], direction: 'Ascending' | 'Descending') =>
    list
      .sort(
        (a, b) =>
          (a.displayedMs - b.displayedMs || a.seq - b.seq) * (direction === 'Ascending' ? 1 : -1),
      )
      .map((n) => ({ ...n.note }));

  // -- dispatch -------------------------------------------------------------------------------

  type Outcome = { kind: 'result'; value: unknown } | { kind: 'empty' };
  const result = (value: unknown): Outcome => ({ kind: 'result', value });
  const empty: Outcome = { kind: 'empty' };

  const permissionOf = (functionName: string): Permission =>
    functionName.startsWith('Create')
      ? 'create'
      : functionName.startsWith('Edit')
        ? 'edit'
        : functionName.startsWith('Delete')
          ? 'delete'
          : 'read';

  const run = (functionName: string, input: Record<string, unknown>): Outcome => {
    const needs = permissionOf(functionName);
    const guard = () => {
      if (!permissions[needs])
        throw new ApiError(
          'permission',
          `This API key doesn't have permission to ${needs} (${functionName}). Change the key's permissions in Settings.`,
        );
    };
    switch (functionName) {
      case 'GetUser': {
        guard();
        parseParams(params.GetUser, input, functionName);
        return result({ ...user });
      }
      case 'GetContacts': {
        guard();
        return result(getContacts(parseParams(params.GetContacts, input, functionName)));
      }
      case 'GetContact': {
        guard();
        const p = parseParams(params.GetContact, input, functionName);
        return result(findContact(String(p.ContactId)).record);
      }
      case 'GetContactsById': {
        guard();
        const p = parseParams(params.GetContactsById, input, functionName);
        const found = p.ContactIds.map(String)
          .map((id) => contacts.get(id))
          .filter((c): c is StoredContact => c !== undefined)
          .map((c) => c.record);
        return result(pageOf(found, p.MaxNumberOfResults, p.Page));
      }
      case 'GetCustomFields': {
        guard();
        const p = parseParams(params.GetCustomFields, input, functionName);
        const list = fields
          .filter((f) => (p.RecordType ? f.recordType === p.RecordType : true))
          .filter((f) => p.IncludeArchivedFields === true || !f.archived)
          .map((f) => ({
            CustomFieldId: f.id,
            Name: f.name,
            Type: f.type,
            RecordType: f.recordType,
            IsArchived: f.archived,
            Options: f.options.map((o, i) => ({ OptionId: String(i + 1), Name: o })),
          }));
        return result(pageOf(list, p.MaxNumberOfResults, p.Page));
      }
      case 'CreateContact': {
        guard();
        const isCompany = input.IsCompany;
        if (isCompany === undefined)
          throw new ApiError(
            'parameter',
            `Missing required parameter "IsCompany" for CreateContact`,
          );
        if (typeof isCompany !== 'boolean')
          throw new ApiError('parameter', `Invalid parameter "IsCompany": expected true or false`);
        for (const required of ['AssignedTo', 'Name'])
          if (input[required] === undefined || input[required] === null)
            throw new ApiError(
              'parameter',
              `Missing required parameter "${required}" for CreateContact`,
            );
        const contactId = newId();
        const record: Record<string, unknown> = withCustomKeys({
          ContactId: contactId,
          IsCompany: isCompany,
          AssignedTo: user.UserId,
          CompanyId: null,
          Name: '',
          Email: [],
          Phone: [],
          Website: [],
          Address: [],
          'Company Name': '',
          'Job Title': '',
          'Background Info': '',
          Birthday: null,
          DateCreated: nowIso(),
          LastUpdate: nowIso(),
        });
        applyContactFields(functionName, record, input);
        ids.add(contactId);
        contacts.set(contactId, { record, createdMs: now(), updatedMs: now(), seq: seq++ });
        return result({ ContactId: contactId });
      }
      case 'EditContact': {
        guard();
        if (input.ContactId === undefined)
          throw new ApiError('parameter', `Missing required parameter "ContactId" for EditContact`);
        const idCheck = uid.safeParse(input.ContactId);
        if (!idCheck.success)
          throw new ApiError('parameter', `Invalid parameter "ContactId": must be a Uid`);
        if ('IsCompany' in input)
          throw new ApiError('parameter', `"IsCompany" can't be changed by EditContact`);
        if (input.Name === null)
          throw new ApiError('parameter', `Invalid parameter "Name": a name can't be blanked`);
        const stored = findContact(String(idCheck.data));
        // Validate on a copy so a bad field leaves the record untouched.
        const draft = structuredClone(stored.record);
        applyContactFields(functionName, draft, input);
        draft.LastUpdate = nowIso();
        stored.record = draft;
        stored.updatedMs = now();
        return empty;
      }
      case 'CreateEvent': {
        guard();
        const p = parseParams(params.CreateEvent, input, functionName);
        checkCalendar(p.CalendarId);
        const start = parseDateTime(p.StartDate);
        const eventZone = zoneOf(p.StartDate);
        const end = parseDateTime(p.EndDate, eventZone);
        if (end.ms < start.ms)
          throw new ApiError('parameter', `Invalid parameter "EndDate": it is before StartDate`);
        if (p.IsRecurring === true && !p.RecurrenceRule)
          throw new ApiError('parameter', `"RecurrenceRule" is required when IsRecurring is true`);
        const eventId = newId();
        const stamp = nowIso();
        events.set(eventId, {
          event: {
            EventId: eventId,
            Name: p.Name,
            StartDate: start.text,
            EndDate: end.text,
            IsAllDay: p.IsAllDay ?? false,
            Location: p.Location ?? '',
            Description: p.Description ?? '',
            IsRecurring: p.IsRecurring ?? false,
            RecurrenceRule: p.RecurrenceRule ?? null,
            DateCreated: stamp,
            DateUpdated: stamp,
            Attendees: checkAttendees(p.Attendees ?? []),
            CalendarId: calendarId,
          },
          startMs: start.ms,
          seq: seq++,
        });
        return result({ EventId: eventId });
      }
      case 'EditEvent': {
        guard();
        const p = parseParams(params.EditEvent, input, functionName);
        const stored = findEvent(String(p.EventId));
        checkCalendar(p.CalendarId);
        // "The timezone set for the StartDate will be used as the timezone for the event."
        const eventZone = zoneOf(p.StartDate ?? stored.event.StartDate);
        const start = parseDateTime(p.StartDate ?? stored.event.StartDate, eventZone);
        const end = parseDateTime(p.EndDate ?? stored.event.EndDate, eventZone);
        if (end.ms < start.ms)
          throw new ApiError('parameter', `Invalid parameter "EndDate": it is before StartDate`);
        const attendees = p.Attendees ? checkAttendees(p.Attendees) : stored.event.Attendees;
        stored.event = {
          ...stored.event,
          Name: p.Name ?? stored.event.Name,
          StartDate: start.text,
          EndDate: end.text,
          IsAllDay: p.IsAllDay ?? stored.event.IsAllDay,
          Location: p.Location === undefined ? stored.event.Location : (p.Location ?? ''),
          Description:
            p.Description === undefined ? stored.event.Description : (p.Description ?? ''),
          IsRecurring: p.IsRecurring ?? stored.event.IsRecurring,
          RecurrenceRule:
            p.RecurrenceRule === undefined ? stored.event.RecurrenceRule : p.RecurrenceRule,
          Attendees: attendees,
          DateUpdated: nowIso(),
        };
        stored.startMs = start.ms;
        return empty;
      }
      case 'DeleteEvent': {
        guard();
        const p = parseParams(params.DeleteEvent, input, functionName);
        findEvent(String(p.EventId));
        events.delete(String(p.EventId));
        return empty;
      }
      case 'GetEvent': {
        guard();
        const p = parseParams(params.GetEvent, input, functionName);
        return result(eventView(findEvent(String(p.EventId))));
      }
      case 'GetEvents': {
        guard();
        const p = parseParams(params.GetEvents, input, functionName);
        const from = p.StartDate ? boundMs(p.StartDate, 'start', zone) : -Infinity;
        const to = p.EndDate ? boundMs(p.EndDate, 'end', zone) : Infinity;
        const contactId = p.ContactId === undefined ? null : String(p.ContactId);
        if (contactId !== null) findContact(contactId);
        const usersWanted = p.UserFilter ? new Set(p.UserFilter.map(String)) : null;
        const calendarsWanted = p.CalendarFilter ? new Set(p.CalendarFilter.map(String)) : null;
        const list = [...events.values()].filter((e) => {
          if (e.startMs < from || e.startMs > to) return false;
          // ContactId overrides the user and calendar filters.
          if (contactId !== null)
            return e.event.Attendees.some((a) => !a.IsUser && a.AttendeeId === contactId);
          // Every event sits on the key owner's calendar (the simulator has one user).
          if (usersWanted && !usersWanted.has(userId)) return false;
          if (calendarsWanted && !calendarsWanted.has(e.event.CalendarId ?? '')) return false;
          return true;
        });
        return result(
          pageOf(sortedEvents(list, p.SortDirection ?? 'Ascending'), p.MaxNumberOfResults, p.Page),
        );
      }
      case 'GetEventsAttachedToContact': {
        guard();
        const p = parseParams(params.GetEventsAttachedToContact, input, functionName);
        const contactId = String(p.ContactId);
        findContact(contactId);
        const list = [...events.values()].filter((e) =>
          e.event.Attendees.some((a) => !a.IsUser && a.AttendeeId === contactId),
        );
        return result(pageOf(sortedEvents(list, 'Ascending'), p.MaxNumberOfResults, p.Page));
      }
      case 'CreateNote': {
        guard();
        const p = parseParams(params.CreateNote, input, functionName);
        const contactId = String(p.ContactId);
        findContact(contactId);
        const displayed = p.DateDisplayedInHistory
          ? parseDateTime(p.DateDisplayedInHistory)
          : { ms: now(), text: nowIso() };
        const noteId = newId();
        const stamp = nowIso();
        notes.set(noteId, {
          note: {
            NoteId: noteId,
            ContactId: contactId,
            UserId: userId,
            DateCreated: stamp,
            DateDisplayedInHistory: displayed.text,
            // Plain text: HTML is escaped, newlines are kept (P7).
            Note: escapeHtml(p.Note),
            IsRichText: false,
          },
          displayedMs: displayed.ms,
          updatedAt: stamp,
          seq: seq++,
        });
        return result({ NoteId: noteId });
      }
      case 'EditNote': {
        guard();
        const p = parseParams(params.EditNote, input, functionName);
        const stored = findNote(String(p.NoteId));
        if (p.Note !== undefined) stored.note = { ...stored.note, Note: escapeHtml(p.Note) };
        if (p.DateDisplayedInHistory !== undefined) {
          const displayed = parseDateTime(p.DateDisplayedInHistory);
          stored.note = { ...stored.note, DateDisplayedInHistory: displayed.text };
          stored.displayedMs = displayed.ms;
        }
        stored.updatedAt = nowIso();
        return empty;
      }
      case 'DeleteNote': {
        guard();
        const p = parseParams(params.DeleteNote, input, functionName);
        findNote(String(p.NoteId));
        notes.delete(String(p.NoteId));
        return empty;
      }
      case 'GetNote': {
        guard();
        const p = parseParams(params.GetNote, input, functionName);
        return result({ ...findNote(String(p.NoteId)).note });
      }
      case 'GetNotes': {
        guard();
        const p = parseParams(params.GetNotes, input, functionName);
        const from = p.DateFilterStart ? boundMs(p.DateFilterStart, 'start', zone) : -Infinity;
        const to = p.DateFilterEnd ? boundMs(p.DateFilterEnd, 'end', zone) : Infinity;
        const contactId = p.ContactId === undefined ? null : String(p.ContactId);
        if (contactId !== null) findContact(contactId);
        const usersWanted = p.UserFilter ? new Set(p.UserFilter.map(String)) : null;
        const list = [...notes.values()].filter(
          (n) =>
            n.displayedMs >= from &&
            n.displayedMs <= to &&
            (contactId === null || n.note.ContactId === contactId) &&
            (usersWanted === null || usersWanted.has(n.note.UserId)),
        );
        return result(
          pageOf(sortedNotes(list, p.SortDirection ?? 'Descending'), p.MaxNumberOfResults, p.Page),
        );
      }
      case 'GetNotesAttachedToContact': {
        guard();
        const p = parseParams(params.GetNotesAttachedToContact, input, functionName);
        const contactId = String(p.ContactId);
        findContact(contactId);
        const list = [...notes.values()].filter((n) => n.note.ContactId === contactId);
        return result(pageOf(sortedNotes(list, 'Descending'), p.MaxNumberOfResults, p.Page));
      }
      default:
        throw new ApiError('function', `Unknown Function "${functionName}"`);
    }
  };

  // -- HTTP -----------------------------------------------------------------------------------

  const errorResponse = (kind: ErrorKind, description: string, status = 400): SimResponse => ({
    status,
    body: { ErrorCode: errorCodes[kind], ErrorDescription: description },
  });

  const serialize = (value: unknown): SimResponse => {
    if (!options.idsAsNumbers) return { status: 200, body: value };
    // Ids become bare number literals (JSON.stringify can't write a 31-digit integer exactly).
    const mark = '\u0001num:';
    const json = JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'string' && /^\d+$/.test(v) && /Id$/.test(key)) return `${mark}${v}`;
      if (Array.isArray(v) && /Ids$/.test(key))
        return v.map((x) => (typeof x === 'string' && /^\d+$/.test(x) ? `${mark}${x}` : x));
      return v;
    });
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: json.replace(/"\\u0001num:(\d+)"/g, '$1'),
    };
  };

  const emptyResponse = (): SimResponse => {
    switch (options.emptySuccessBody ?? 'none') {
      case 'none':
        return { status: 200 };
      case 'null':
        return { status: 200, headers: { 'content-type': 'application/json' }, body: 'null' };
      case 'object':
        return { status: 200, body: {} };
      case 'string':
        return { status: 200, headers: { 'content-type': 'application/json' }, body: '""' };
    }
  };

  const handle = (req: SimRequest): SimResponse => {
    if (req.path !== '/v2/') return { status: 404, body: 'Not Found' };
    if (req.method !== 'POST')
      return errorResponse('request', `Requests must be sent with POST, not ${req.method}`);
    const key = req.headers.authorization;
    if (key === undefined || key === '')
      return errorResponse(
        'auth',
        'Invalid credentials: no API key was sent in the Authorization header',
      );
    if (key !== apiKey)
      return errorResponse(
        'auth',
        /^bearer\s/i.test(key)
          ? 'Invalid credentials: the Authorization header must contain only the API key (no "Bearer")'
          : 'Invalid credentials: that API key is not valid (it may have been deleted or API access turned off)',
      );
    if (limiter) {
      const verdict = limiter.check(apiKey, now());
      if (!verdict.allowed) {
        const response = errorResponse('rateLimit', 'Too many requests; slow down', 429);
        const retryAfter = options.rateLimit?.retryAfterSeconds;
        return retryAfter === undefined
          ? response
          : { ...response, headers: { 'retry-after': String(retryAfter) } };
      }
    }
    if (!/application\/json/i.test(req.headers['content-type'] ?? ''))
      return errorResponse(
        'request',
        'The request must be sent with Content-Type: application/json',
      );
    let json: unknown;
    try {
      json = JSON.parse(req.bodyText);
    } catch {
      return errorResponse('request', 'The request body is not valid JSON');
    }
    const body = requestBody.safeParse(json);
    if (!body.success) {
      const issue = body.error.issues[0];
      const detail =
        issue?.code === 'unrecognized_keys'
          ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')} (the body is {Function, Parameters})`
          : `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
      return errorResponse('request', `Invalid request body: ${detail}`);
    }
    const functionName = body.data.Function;
    calls.set(functionName, (calls.get(functionName) ?? 0) + 1);
    try {
      const outcome = run(functionName, body.data.Parameters ?? {});
      return outcome.kind === 'empty' ? emptyResponse() : serialize(structuredClone(outcome.value));
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.kind, error.message);
      throw error;
    }
  };

  const server = await startSimServer(handle, {
    rootPath: '/v2',
    port: options.port,
    faults: options.faults,
    now,
  });

  const asContact = (stored: StoredContact) =>
    structuredClone(stored.record) as unknown as LacrmContact;

  return {
    baseUrl: `${server.baseUrl}/`,
    apiKey,
    user,
    faults: server.faults,
    log: server.log,
    close: () => server.close(),
    callCount: (functionName) => calls.get(functionName) ?? 0,
    callCounts: () => Object.fromEntries(calls),
    eventsWithMarker: (marker) =>
      [...events.values()].filter((e) => e.event.Description.includes(marker)).length,
    notesWithMarker: (marker) =>
      [...notes.values()].filter((n) => n.note.Note.includes(marker)).length,
    events: () => [...events.values()].sort((a, b) => a.seq - b.seq).map(eventView),
    notes: () => [...notes.values()].sort((a, b) => a.seq - b.seq).map((n) => ({ ...n.note })),
    contact: (contactId) => {
      const stored = contacts.get(contactId);
      return stored ? asContact(stored) : undefined;
    },
    contacts: () => [...contacts.values()].sort((a, b) => a.seq - b.seq).map(asContact),
    addContactDirectly: (contact) => {
      const contactId = newId();
      const record = withCustomKeys({
        IsCompany: false,
        AssignedTo: user.UserId,
        CompanyId: null,
        Email: [],
        Phone: [],
        ...structuredClone(contact),
        ContactId: contactId,
        DateCreated: nowIso(),
        LastUpdate: nowIso(),
      } as Record<string, unknown>);
      contacts.set(contactId, { record, createdMs: now(), updatedMs: now(), seq: seq++ });
      return contactId;
    },
    editContactDirectly: (contactId, changes) => {
      const stored = contacts.get(contactId);
      if (!stored) throw new Error(`lacrm sim: no contact ${contactId}`);
      Object.assign(stored.record, structuredClone(changes), { LastUpdate: nowIso() });
      stored.updatedMs = now();
    },
    deleteContactDirectly: (contactId) => {
      if (!contacts.delete(contactId)) throw new Error(`lacrm sim: no contact ${contactId}`);
      for (const e of events.values())
        e.event.Attendees = e.event.Attendees.filter((a) => a.IsUser || a.AttendeeId !== contactId);
      for (const [noteId, n] of notes) if (n.note.ContactId === contactId) notes.delete(noteId);
    },
    renameCustomField: (from, to) => {
      const field = fields.find((f) => f.name === from);
      if (!field) throw new Error(`lacrm sim: no custom field "${from}"`);
      field.name = to;
      for (const c of contacts.values()) {
        if ((c.record.IsCompany === true) !== (field.recordType === 'Company')) continue;
        c.record[to] = c.record[from] ?? null;
        delete c.record[from];
      }
    },
  };
}

/** The LACRM Function a request names, or null (for FaultPlan rules that target one Function). */
export function lacrmFunctionOf(req: SimRequest): string | null {
  try {
    const body = JSON.parse(req.bodyText) as { Function?: unknown };
    return typeof body.Function === 'string' ? body.Function : null;
  } catch {
    return null;
  }
}

/** A FaultPlan `match` for requests calling one of `functionNames`. */
export function onLacrmFunction(...functionNames: string[]): (req: SimRequest) => boolean {
  return (req) => functionNames.includes(lacrmFunctionOf(req) ?? '');
}
