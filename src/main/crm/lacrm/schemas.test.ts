// Response schemas: ids become strings, optional noise is tolerated, what Cadence relies on is not.
import { describe, expect, it } from 'vitest';
import { describeZodError } from '../../../shared/result';
import { contactSchema, emptySuccessSchema, eventSchema, pageSchema } from './schemas';

const contact = {
  ContactId: 3862515,
  IsCompany: false,
  AssignedTo: 483823,
  Name: { FirstName: 'Jane', LastName: 'Doe', Salutation: null },
  Email: [{ Text: 'jane@acme.example', Type: 'Work', TypeId: '1' }],
  Phone: null,
  DateCreated: '2023-01-05T09:12:00-06:00',
  LastUpdate: '2025-03-14T11:05:00Z',
  'Next review due': '2025-09-14',
};

describe('contactSchema', () => {
  it('coerces numeric ids to strings and keeps custom fields', () => {
    const parsed = contactSchema.parse(contact);
    expect(parsed).toMatchObject({
      ContactId: '3862515',
      AssignedTo: '483823',
      Phone: [],
      Email: [{ Text: 'jane@acme.example', Type: 'Work' }],
      'Next review due': '2025-09-14',
    });
  });

  it('names the field that is wrong', () => {
    const page = pageSchema(contactSchema);
    const bad = page.safeParse({
      HasMoreResults: false,
      Results: [contact, { ...contact, Email: [{ Type: 'Work', Text: 42 }] }],
    });
    expect(bad.success).toBe(false);
    expect(describeZodError(bad.error!)).toMatch(/^Results\.1\.Email\.0\.Text: /);
    const noDate = contactSchema.safeParse({ ...contact, LastUpdate: '2025-03-14 11:05' });
    expect(describeZodError(noDate.error!)).toMatch(/^LastUpdate: .*offset/);
    const badId = contactSchema.safeParse({ ...contact, ContactId: 'abc' });
    expect(describeZodError(badId.error!)).toMatch(/^ContactId: expected an id/);
  });
});

describe('eventSchema', () => {
  it('derives ContactIds from Attendees when LACRM leaves them out', () => {
    const parsed = eventSchema.parse({
      EventId: '1',
      Name: 'Review',
      StartDate: '2026-01-07T10:00:00-05:00',
      EndDate: '2026-01-07T11:00:00-05:00',
      Description: null,
      DateCreated: '2026-01-05T09:00:00-06:00',
      Attendees: [
        { IsUser: false, AttendeeId: 22, AttendanceStatus: 'IsAttending' },
        { IsUser: true, AttendeeId: '7', AttendanceStatus: 'Tentative' },
      ],
    });
    expect(parsed).toMatchObject({
      Description: '',
      ContactIds: ['22'],
      UserIds: ['7'],
      DateUpdated: '2026-01-05T09:00:00-06:00',
    });
    expect(parsed.Attendees[1]!.AttendanceStatus).toBe('Tentative');
  });
});

describe('emptySuccessSchema', () => {
  it.each([[''], [null], [true], [{}], [[]]])('accepts %j as done', (body) => {
    expect(emptySuccessSchema.safeParse(body).success).toBe(true);
  });

  it.each([[{ ContactId: '1' }], ['ok'], [[1]], [false], [undefined]])(
    'reports %j as unexpected',
    (body) => {
      expect(emptySuccessSchema.safeParse(body).success).toBe(false);
    },
  );
});
