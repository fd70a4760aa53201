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
