// zod schemas for every LACRM v2 response Cadence reads (../shared/api/lacrm.md). Strict where
// Cadence relies on a field (ids, names, emails, dates it compares, descriptions it scans for
// markers); lenient about extras (custom fields, metadata) that LACRM adds per account. Ids come
// out as strings whatever the wire carried. Outputs are the record types in ./types.ts.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type {
  LacrmAttendee,
  LacrmContact,
  LacrmCustomField,
  LacrmEvent,
  LacrmNote,
  LacrmUser,
} from './types';

/** A Uid or UserId: a digit string, or a JSON integer (coerced; big ones were quoted by json.ts). */
export const lacrmId = z
  .union(
    [
      z.string().regex(/^\d+$/, 'expected an id (a string of digits)'),
      z.number().int().nonnegative().refine(Number.isSafeInteger, 'integer too large to be exact'),
    ],
    { error: 'expected an id (a string of digits)' },
  )
  .transform(String);

const OFFSET_DATETIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 DateTime with an offset, as the data-types page promises. */
export const lacrmDateTime = z
  .string()
  .refine(
    (s) => OFFSET_DATETIME.test(s) && DateTime.fromISO(s, { setZone: true }).isValid,
    'expected an ISO 8601 date-time with a UTC offset',
  );

/** Text LACRM may send as null or leave out; Cadence treats all three as "". */
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

const typedValue = z.looseObject({ Text: optionalText, Type: optionalText });
const typedList = z
  .array(typedValue)
  .nullish()
  .transform((list) => (list ?? []).map((v) => ({ Text: v.Text, Type: v.Type })));

const personName = z.looseObject({
  Salutation: optionalText,
  FirstName: optionalText,
  MiddleName: optionalText,
  LastName: optionalText,
  Suffix: optionalText,
});

export const contactSchema = z
  .looseObject({
    ContactId: lacrmId,
    IsCompany: z.boolean(),
    AssignedTo: lacrmId,
    CompanyId: lacrmId.nullish(),
    Name: z.union([personName, z.string()], {
      error: 'expected a name object or text',
    }),
    Email: typedList,
    Phone: typedList,
    'Company Name': z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    'Job Title': z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    'Background Info': z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    DateCreated: lacrmDateTime,
    LastUpdate: lacrmDateTime,
  })
  .transform((c): LacrmContact => c);

export const userSchema = z
  .looseObject({
    UserId: lacrmId,
    FirstName: optionalText,
    LastName: optionalText,
    Email: optionalText,
    Timezone: z.string().min(1),
  })
  .transform((u): LacrmUser => ({
    UserId: u.UserId,
    FirstName: u.FirstName,
    LastName: u.LastName,
    Email: u.Email,
    Timezone: u.Timezone,
  }));

const attendeeSchema = z
  .looseObject({
    IsUser: z.boolean(),
    AttendeeId: lacrmId,
    AttendanceStatus: z.string().min(1),
  })
  .transform((a): LacrmAttendee => ({
    IsUser: a.IsUser,
    AttendeeId: a.AttendeeId,
    AttendanceStatus: a.AttendanceStatus,
  }));

export const eventSchema = z
  .looseObject({
    EventId: lacrmId,
    Name: optionalText,
    StartDate: lacrmDateTime,
    EndDate: lacrmDateTime,
    IsAllDay: z.boolean().nullish(),
    Location: optionalText,
    Description: optionalText,
    IsRecurring: z.boolean().nullish(),
    RecurrenceRule: z.string().nullish(),
    DateCreated: lacrmDateTime,
    DateUpdated: lacrmDateTime.nullish(),
    ContactIds: z.array(lacrmId).nullish(),
    UserIds: z.array(lacrmId).nullish(),
    Attendees: z.array(attendeeSchema).nullish(),
    CalendarId: lacrmId.nullish(),
  })
  .transform((e): LacrmEvent => ({
    EventId: e.EventId,
    Name: e.Name,
    StartDate: e.StartDate,
    EndDate: e.EndDate,
    IsAllDay: e.IsAllDay ?? false,
    Location: e.Location,
    Description: e.Description,
    IsRecurring: e.IsRecurring ?? false,
    RecurrenceRule: e.RecurrenceRule ?? null,
    DateCreated: e.DateCreated,
    DateUpdated: e.DateUpdated ?? e.DateCreated,
    ContactIds:
      e.ContactIds ?? (e.Attendees ?? []).filter((a) => !a.IsUser).map((a) => a.AttendeeId),
    UserIds: e.UserIds ?? (e.Attendees ?? []).filter((a) => a.IsUser).map((a) => a.AttendeeId),
    Attendees: e.Attendees ?? [],
    CalendarId: e.CalendarId ?? null,
  }));

export const noteSchema = z
  .looseObject({
    NoteId: lacrmId,
    ContactId: lacrmId,
    UserId: lacrmId.nullish(),
    DateCreated: lacrmDateTime,
    DateDisplayedInHistory: lacrmDateTime,
    Note: optionalText,
    IsRichText: z.boolean().nullish(),
  })
  .transform((n): LacrmNote => ({
    NoteId: n.NoteId,
    ContactId: n.ContactId,
    UserId: n.UserId ?? '',
    DateCreated: n.DateCreated,
    DateDisplayedInHistory: n.DateDisplayedInHistory,
    Note: n.Note,
    IsRichText: n.IsRichText ?? false,
  }));

const optionSchema = z.union([
  z.string(),
  z.looseObject({ Name: z.string().nullish(), Text: z.string().nullish() }),
]);

export const customFieldSchema = z
  .looseObject({
    CustomFieldId: lacrmId,
    Name: z.string().min(1),
    Type: z.string().min(1),
    RecordType: optionalText,
    IsArchived: z.boolean().nullish(),
    Options: z.array(optionSchema).nullish(),
  })
  .transform((f): LacrmCustomField => ({
    CustomFieldId: f.CustomFieldId,
    Name: f.Name,
    Type: f.Type,
    RecordType: f.RecordType,
    IsArchived: f.IsArchived ?? false,
    Options: (f.Options ?? [])
      .map((o) => (typeof o === 'string' ? o : (o.Name ?? o.Text ?? '')))
      .filter((o) => o !== ''),
  }));

/** The paging envelope of every list call. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ HasMoreResults: z.boolean(), Results: z.array(item) });
}

export const createdContactSchema = z.looseObject({ ContactId: lacrmId });
export const createdEventSchema = z.looseObject({ EventId: lacrmId });
export const createdNoteSchema = z.looseObject({ NoteId: lacrmId });

/**
 * The "nothing to say" body of Edit* and Delete*: LACRM documents no body, and the exact form is
 * an open question (sheet section 10), so an empty body, `""`, `null`, `{}`, `[]` and `true` all
 * mean done. Anything else is a surprise worth reporting.
 */
export const emptySuccessSchema = z.union(
  [z.literal(''), z.null(), z.literal(true), z.strictObject({}), z.array(z.never()).length(0)],
  { error: 'expected an empty body' },
);

/** LACRM's error body (HTTP 400, and sometimes 200 with an ErrorCode key). */
export const errorBodySchema = z.looseObject({
  ErrorCode: z.union([z.string(), z.number()]).transform(String),
  ErrorDescription: z.string().nullish(),
});
