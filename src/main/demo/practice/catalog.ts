// What the advisor offers on each scheduler: event types (Cal.com), event types (Calendly) and
// booking types (TidyCal), which kinds of meeting each one is used for, and the questions their
// booking forms ask. Reviews carry "Review" in their titles and review-ish slugs; a few general
// meetings do too ("Insurance Policy Review"), because real calendars are like that.
import type { BookingSource } from '../../../shared/domain';
import type { MeetingCategory, MeetingKind } from './types';

export type CatalogEntry = Readonly<{
  source: BookingSource;
  slug: string;
  title: string;
  duration: number;
  /** Cal.com: the host must accept, so bookings start as pending (and can be rejected). */
  requiresConfirmation?: boolean;
  /** Cal.com/Calendly: the form asks for first and last name separately. */
  splitName?: boolean;
  hidden?: boolean;
  /** Calendly group events (webinars). */
  group?: boolean;
  /** TidyCal: a retired booking type, still referenced by old bookings. */
  disabled?: boolean;
}>;

export const CATALOG: readonly CatalogEntry[] = [
  { source: 'calcom', slug: 'portfolio-review', title: 'Portfolio Review', duration: 60 },
  {
    source: 'calcom',
    slug: 'annual-review',
    title: 'Annual Review',
    duration: 90,
    requiresConfirmation: true,
    splitName: true,
  },
  { source: 'calcom', slug: 'quarterly-review', title: 'Quarterly Review', duration: 45 },
  { source: 'calcom', slug: 'check-in', title: 'Check-in', duration: 30 },
  { source: 'calcom', slug: 'tax-planning', title: 'Tax Planning Session', duration: 45 },
  {
    source: 'calcom',
    slug: 'intro-call',
    title: 'Intro Call',
    duration: 20,
    requiresConfirmation: true,
  },
  {
    source: 'calcom',
    slug: 'estate-planning',
    title: 'Estate Planning',
    duration: 60,
    requiresConfirmation: true,
  },
  { source: 'calcom', slug: 'insurance-review', title: 'Insurance Policy Review', duration: 30 },
  {
    source: 'calcom',
    slug: 'vip-review',
    title: 'VIP Portfolio Review',
    duration: 60,
    hidden: true,
  },
  { source: 'calendly', slug: 'intro-call', title: '30 Minute Intro Call', duration: 30 },
  { source: 'calendly', slug: 'annual-review', title: 'Annual Review Meeting', duration: 60 },
  {
    source: 'calendly',
    slug: 'portfolio-review',
    title: 'Portfolio Review',
    duration: 60,
    splitName: true,
  },
  { source: 'calendly', slug: 'check-in', title: '15 Minute Check-in', duration: 15 },
  { source: 'calendly', slug: 'retirement-planning', title: 'Retirement Planning', duration: 60 },
  {
    source: 'calendly',
    slug: 'market-update-webinar',
    title: 'Quarterly Market Update (Webinar)',
    duration: 45,
    group: true,
  },
  { source: 'tidycal', slug: 'portfolio-review', title: 'Portfolio Review', duration: 60 },
  { source: 'tidycal', slug: 'tax-planning', title: 'Tax Planning', duration: 45 },
  { source: 'tidycal', slug: 'quick-question', title: 'Quick Question', duration: 15 },
  {
    source: 'tidycal',
    slug: 'annual-review-2023',
    title: 'Annual Review (old link)',
    duration: 60,
    disabled: true,
  },
];

export function catalogEntry(source: BookingSource, slug: string): CatalogEntry {
  const entry = CATALOG.find((e) => e.source === source && e.slug === slug);
  if (!entry) throw new Error(`practice: no ${source} event type ${slug}`);
  return entry;
}

/** Where each kind of meeting gets booked, with weights. */
export const KIND_PLACES: Readonly<
  Record<MeetingKind, readonly (readonly [readonly [BookingSource, string], number])[]>
> = {
  portfolio_review: [
    [['calcom', 'portfolio-review'], 5],
    [['calcom', 'vip-review'], 1],
    [['calendly', 'portfolio-review'], 2],
    [['tidycal', 'portfolio-review'], 2],
  ],
  annual_review: [
    [['calcom', 'annual-review'], 4],
    [['calendly', 'annual-review'], 3],
    [['tidycal', 'annual-review-2023'], 1],
  ],
  quarterly_review: [
    [['calcom', 'quarterly-review'], 6],
    [['calendly', 'portfolio-review'], 1],
  ],
  intro_call: [
    [['calendly', 'intro-call'], 6],
    [['calcom', 'intro-call'], 3],
    [['tidycal', 'quick-question'], 2],
  ],
  check_in: [
    [['calcom', 'check-in'], 4],
    [['calendly', 'check-in'], 3],
    [['tidycal', 'quick-question'], 2],
  ],
  tax_planning: [
    [['tidycal', 'tax-planning'], 5],
    [['calcom', 'tax-planning'], 3],
  ],
  estate_planning: [[['calcom', 'estate-planning'], 1]],
  insurance_review: [[['calcom', 'insurance-review'], 1]],
  retirement_planning: [[['calendly', 'retirement-planning'], 1]],
  webinar: [[['calendly', 'market-update-webinar'], 1]],
  // Someone else's booking page; the advisor is the attendee.
  external: [[['calcom', 'consultation'], 1]],
};

export function categoryOf(kind: MeetingKind): MeetingCategory {
  switch (kind) {
    case 'portfolio_review':
    case 'annual_review':
    case 'quarterly_review':
      return 'portfolio_review';
    case 'intro_call':
    case 'check_in':
    case 'tax_planning':
    case 'estate_planning':
    case 'insurance_review':
    case 'retirement_planning':
    case 'webinar':
    case 'external':
      return 'general';
  }
}

export const QUESTION_BY_KIND: Readonly<Record<MeetingKind, string>> = {
  portfolio_review: 'Anything specific you want to review?',
  annual_review: 'What has changed since our last review?',
  quarterly_review: 'Topics for this quarter?',
  intro_call: 'How did you hear about us?',
  check_in: 'What would you like to discuss?',
  tax_planning: 'Which tax year is this about?',
  estate_planning: 'Who else should we include?',
  insurance_review: 'Which policies should we look at?',
  retirement_planning: 'Target retirement year?',
  webinar: 'Questions for the Q&A?',
  external: 'Notes',
};

export const ANSWERS: readonly string[] = [
  'Rebalancing and RMDs',
  'Roth conversion this year?',
  'College savings for the kids',
  'We sold the house',
  'New job, 401(k) rollover',
  'Nothing specific',
  'Beneficiary updates',
  'Referred by a friend',
  'Cash flow for next year',
  'Charitable giving',
];

export const CANCELLATION_REASONS: readonly string[] = [
  'Something came up at work',
  'Feeling unwell',
  'Travelling that week',
  'Need to move this, sorry!',
  'Kids are sick',
];
