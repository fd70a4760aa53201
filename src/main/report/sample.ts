// Deterministic, made-up compliance reports for tests, screenshots and the demo: the same options
// always give the same report. Names are invented; nothing here is a real person.
import { DateTime } from 'luxon';
import {
  reportSummary,
  type ComplianceReport,
  type ReportClient,
  type ReportReview,
} from './types';

export type SampleReportOptions = Readonly<{
  clients?: number;
  seed?: number;
  /** Reviews per reviewed client, at most. */
  maxReviews?: number;
}>;

const FIRST = [
  'Avery',
  'Jordan',
  'Morgan',
  'Riley',
  'Casey',
  'Quinn',
  'Harper',
  'Rowan',
  'Zoë',
  'Mateo',
];
const LAST = [
  'Whitfield',
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Castellano',
  'Nakamura',
  'Brennan',
  'Sørensen',
];
const RULES: Array<[string, string]> = [
  [
    'Annual review event type',
    'Event type slug "annual-review" matches the rule pattern "annual-*".',
  ],
  ['Title says review', 'Title "Portfolio review with advisor" contains the keyword "review".'],
  ['Quarterly check-in', 'Event type "Quarterly check-in (60 min)" is listed in the rule.'],
];
const SOURCES = ['calcom', 'calendly', 'tidycal'] as const;

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

export function sampleComplianceReport(options: SampleReportOptions = {}): ComplianceReport {
  const random = prng(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const count = options.clients ?? 12;
  const maxReviews = options.maxReviews ?? 3;
  const zone = 'America/New_York';
  const periodStart = DateTime.fromISO('2026-01-01', { zone });
  const generatedAt = DateTime.fromISO('2026-11-25T14:03:00.000Z');

  const clients: ReportClient[] = [];
  const usedNames = new Set<string>();
  // Two clients with the same name would look like a duplicate in screenshots; add an initial.
  const uniqueName = (name: string): string => {
    let candidate = name;
    for (let letter = 0; usedNames.has(candidate); letter += 1) {
      const [first, ...rest] = name.split(' ');
      candidate = `${first} ${String.fromCharCode(65 + (letter % 26))}. ${rest.join(' ')}`;
    }
    usedNames.add(candidate);
    return candidate;
  };
  for (let index = 0; index < count; index += 1) {
    const reviewed = index % 4 !== 0;
    const reviews: ReportReview[] = [];
    const reviewCount = reviewed ? 1 + Math.floor(random() * maxReviews) : 0;
    for (let r = 0; r < reviewCount; r += 1) {
      const start = periodStart.plus({
        days: Math.floor(random() * 300),
        hours: 9 + Math.floor(random() * 8),
      });
      const [ruleName, reason] = pick(RULES);
      const source = pick(SOURCES);
      reviews.push({
        source,
        bookingId:
          source === 'calendly'
            ? `${(index * 7919 + r * 104729).toString(16).padStart(8, '0')}-4b1e-9c2d-${String(index).padStart(4, '0')}-a1b2c3d4e5f6`
            : `${source === 'calcom' ? 'bk' : 'tc'}_${100000 + index * 31 + r}`,
        date: start.toFormat('yyyy-MM-dd HH:mm'),
        durationMinutes: pick([30, 45, 60, 90]),
        // Reviews before the generation date happened (or were missed); later ones are booked.
        status:
          start < generatedAt
            ? pick(['completed', 'completed', 'completed', 'no_show'])
            : 'scheduled',
        ruleName: r === 2 ? null : ruleName,
        classificationReason: r === 2 ? 'Marked as a portfolio review by the advisor.' : reason,
        matchConfirmedBy: pick(['advisor', 'auto (exact email)', 'assistant']),
        matchConfirmedAt: start.plus({ days: 1 }).toUTC().toISO(),
        pushedToLacrm: random() < 0.7 ? start.plus({ days: 2 }).toUTC().toISO() : null,
      });
    }
    reviews.sort((a, b) => a.date.localeCompare(b.date));
    const held = reviews.filter((review) => review.status === 'completed');
    const olderReview = DateTime.fromISO('2025-02-10').plus({ days: Math.floor(random() * 200) });
    const lastReview =
      held.at(-1)?.date.slice(0, 10) ??
      (index % 8 === 0 ? null : (olderReview.toISODate() ?? null));
    const cadenceMonths = pick([12, 12, 12, 6]);
    const nextDue = lastReview
      ? DateTime.fromISO(lastReview).plus({ months: cadenceMonths })
      : null;
    const status: ReportClient['status'] =
      nextDue === null
        ? 'never_reviewed'
        : nextDue < generatedAt
          ? 'overdue'
          : nextDue < generatedAt.plus({ days: 60 })
            ? 'due_soon'
            : 'on_track';
    clients.push({
      contactId: String(4009810940319283474940318530482n + BigInt(index * 1009)),
      name: uniqueName(`${pick(FIRST)} ${pick(LAST)}`),
      cadenceMonths,
      status,
      lastReview,
      nextReviewDue: nextDue?.toISODate() ?? null,
      reviews,
    });
  }
  // Clients with no review in the period first, as the report queries order them.
  clients.sort((a, b) => Number(a.reviews.length > 0) - Number(b.reviews.length > 0));
  return {
    title: 'Portfolio review compliance report',
    periodFrom: '2026-01-01',
    periodTo: '2026-12-31',
    advisorName: 'Alex Example',
    firmName: 'Example Wealth Partners LLC',
    generatedAt: generatedAt.toUTC().toISO()!,
    timeZone: zone,
    summary: reportSummary(clients),
    clients,
  };
}
