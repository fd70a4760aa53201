// LACRM v2 record shapes as the fact sheet gives them (../shared/api/lacrm.md, sections 2 and 9).
// Shared by the client, the simulator and the practice generator. Ids are strings (~31 digits).

export type LacrmName = Readonly<{
  Salutation?: string;
  FirstName: string;
  MiddleName?: string;
  LastName: string;
  Suffix?: string;
}>;

export type LacrmTyped = Readonly<{ Text: string; Type: string }>;

/**
 * A contact (or company) as GetContacts returns it. Built-in fields are keyed by display name
 * ("Company Name"); custom fields are top-level keys named exactly as their label.
 */
export type LacrmContact = Readonly<{
  ContactId: string;
  IsCompany: boolean;
  AssignedTo: number | string;
  CompanyId?: string | null;
  Name: LacrmName | string;
  Email: readonly LacrmTyped[];
  Phone: readonly LacrmTyped[];
  'Company Name'?: string;
  'Job Title'?: string;
  'Background Info'?: string;
  DateCreated: string;
  LastUpdate: string;
  [customField: string]: unknown;
}>;

/** The key owner, as GetUser returns it. UserIds are sometimes numbers, sometimes strings. */
export type LacrmUser = Readonly<{
  UserId: number | string;
  FirstName: string;
  LastName: string;
  Email: string;
  /** Probably an IANA zone name (unconfirmed, fact sheet section 5). */
  Timezone: string;
}>;

/** The sheet's copy of the enum was cut off, so other values may arrive and are kept as they are. */
export type LacrmAttendanceStatus = 'IsAttending' | 'Maybe' | 'NotAttending' | (string & {});

export type LacrmAttendee = Readonly<{
  IsUser: boolean;
  AttendeeId: string;
  AttendanceStatus: LacrmAttendanceStatus;
}>;

/** A calendar event (fact sheet section 3). Dates are ISO 8601 with an offset. */
export type LacrmEvent = Readonly<{
  EventId: string;
  Name: string;
  StartDate: string;
  EndDate: string;
  IsAllDay: boolean;
  Location: string;
  Description: string;
  IsRecurring: boolean;
  RecurrenceRule: string | null;
  DateCreated: string;
  DateUpdated: string;
  ContactIds: readonly string[];
  UserIds: readonly string[];
  Attendees: readonly LacrmAttendee[];
  CalendarId: string | null;
}>;

/** A note on one contact's history (fact sheet section 4). */
export type LacrmNote = Readonly<{
  NoteId: string;
  ContactId: string;
  UserId: string;
  DateCreated: string;
  DateDisplayedInHistory: string;
  Note: string;
  IsRichText: boolean;
}>;

export type LacrmCustomFieldType =
  | 'Currency'
  | 'Date'
  | 'Dropdown'
  | 'RadioList'
  | 'Checkbox'
  | 'Number'
  | 'Text'
  | 'TextArea'
  | 'ContactLink'
  | 'FileLink'
  | 'Signature'
  | 'Section'
  | 'SectionHeader'
  | 'TextBlock';

export type LacrmRecordType = 'Contact' | 'Company' | 'Pipeline';

/** A custom field definition, as GetCustomFields returns it. Writes key values by `Name`. */
export type LacrmCustomField = Readonly<{
  CustomFieldId: string;
  Name: string;
  /** Kept as a string: LACRM may add types; callers check the ones they rely on. */
  Type: string;
  RecordType: LacrmRecordType | string;
  IsArchived: boolean;
  /** Option texts of Dropdown / RadioList / Checkbox fields (empty for others). */
  Options: readonly string[];
}>;
