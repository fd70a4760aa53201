// The compliance report as data: what the queries fill in and what the CSV and PDF renderers draw.
// The renderers parse it with this schema first, so a malformed report fails with a message that
// names the field instead of producing a document an examiner would question.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { describeZodError } from '../../shared/result';

const isRealDate = (text: string, format: string): boolean =>
  DateTime.fromFormat(text, format, { zone: 'UTC' }).isValid;

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-mm-dd')
  .refine((text) => isRealDate(text, 'yyyy-MM-dd'), 'is not a real date');

const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'must be yyyy-mm-dd HH:mm')
  .refine((text) => isRealDate(text, 'yyyy-MM-dd HH:mm'), 'is not a real date and time');

const IanaTimeZone = z
  .string()
  .refine((zone) => DateTime.now().setZone(zone).isValid, 'is not a known IANA time zone');

const Count = z.number().int().nonnegative();

export const clientReviewStatuses = ['on_track', 'due_soon', 'overdue', 'never_reviewed'] as const;
export const ClientReviewStatus = z.enum(clientReviewStatuses);
export type ClientReviewStatus = z.infer<typeof ClientReviewStatus>;

export const ReportReview = z.object({
  source: z.string().min(1),
  bookingId: z.string().min(1),
  /** Local to the report's time zone: yyyy-mm-dd HH:mm. */
  date: LocalDateTime,
  durationMinutes: Count,
  status: z.string().min(1),
  ruleName: z.string().nullable(),
  classificationReason: z.string(),
  matchConfirmedBy: z.string(),
  matchConfirmedAt: z.string().nullable(),
  /** When (or as what) the review was written to LACRM; null when it was not pushed. */
  pushedToLacrm: z.string().nullable(),
});
export type ReportReview = z.infer<typeof ReportReview>;

export const ReportClient = z.object({
  contactId: z.string().min(1),
  name: z.string(),
  cadenceMonths: z.number().int().positive(),
  status: ClientReviewStatus,
  lastReview: LocalDate.nullable(),
  nextReviewDue: LocalDate.nullable(),
  reviews: z.array(ReportReview),
});
export type ReportClient = z.infer<typeof ReportClient>;

export const ComplianceReport = z
  .object({
    /** "Portfolio review compliance report" */
    title: z.string().min(1),
    periodFrom: LocalDate,
    periodTo: LocalDate,
    advisorName: z.string().min(1),
    firmName: z.string().nullish(),
    generatedAt: z.iso.datetime({ offset: true }),
    timeZone: IanaTimeZone,
    summary: z.object({
      clients: Count,
      reviewedInPeriod: Count,
      notReviewed: Count,
      overdueNow: Count,
    }),
    /** Clients with no review in the period first; the renderers keep the given order. */
    clients: z.array(ReportClient),
  })
  .refine((report) => report.periodFrom <= report.periodTo, {
    message: 'periodFrom is after periodTo',
    path: ['periodTo'],
  });
export type ComplianceReport = z.infer<typeof ComplianceReport>;

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export function parseComplianceReport(input: unknown): ComplianceReport {
  const parsed = ComplianceReport.safeParse(input);
  if (!parsed.success) {
    throw new ReportInputError(`compliance report: ${describeZodError(parsed.error, 'report')}`);
  }
  return parsed.data;
}

export const clientStatusLabels: Readonly<Record<ClientReviewStatus, string>> = {
  on_track: 'On track',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  never_reviewed: 'Never reviewed',
};
