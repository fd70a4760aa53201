// The compliance report as data: what the queries fill in and what the CSV and PDF renderers draw.
// The renderers parse it with this schema first, so a malformed report fails with a message that
// names the field instead of producing a document an examiner would question.
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  ComplianceClientView,
  ComplianceReportView,
  ComplianceReviewView,
} from '../../shared/contract-metrics';
import { describeZodError } from '../../shared/result';

const isRealDate = (text: string, format: string): boolean =>
  DateTime.fromFormat(text, format, { zone: 'UTC' }).isValid;

const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'must be yyyy-mm-dd HH:mm')
  .refine((text) => isRealDate(text, 'yyyy-MM-dd HH:mm'), 'is not a real date and time');

const IanaTimeZone = z
  .string()
  .refine((zone) => DateTime.now().setZone(zone).isValid, 'is not a known IANA time zone');

// The fields are the ones the screen receives (src/shared/contract-metrics.ts); a document for an
// examiner also needs every date and time real and the time zone known.
export const ReportReview = ComplianceReviewView.extend({
  /** Local to the report's time zone: yyyy-mm-dd HH:mm. */
  date: LocalDateTime,
});
export type ReportReview = z.infer<typeof ReportReview>;

export const ReportClient = ComplianceClientView.extend({ reviews: z.array(ReportReview) });
export type ReportClient = z.infer<typeof ReportClient>;

export const ComplianceReport = ComplianceReportView.extend({
  generatedAt: z.iso.datetime({ offset: true }),
  timeZone: IanaTimeZone,
  /** Clients with no review in the period first; the renderers keep the given order. */
  clients: z.array(ReportClient),
}).refine((report) => report.periodFrom <= report.periodTo, {
  message: 'periodFrom is after periodTo',
  path: ['periodTo'],
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

/** The report's summary figures, from its clients (those reviewed in the period have reviews). */
export function reportSummary(clients: readonly ReportClient[]): ComplianceReport['summary'] {
  const reviewedInPeriod = clients.filter((client) => client.reviews.length > 0).length;
  return {
    clients: clients.length,
    reviewedInPeriod,
    notReviewed: clients.length - reviewedInPeriod,
    overdueNow: clients.filter((client) => client.status === 'overdue').length,
  };
}

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
