// Labels and colours the dashboard and its lists share: review statuses, categories, shares.
import { categoryLabel } from '../../../shared/classification';
import type { ReviewStatus } from '../../../shared/contract-metrics';

export { reviewStatusLabels } from '../../../shared/contract-metrics';

/** Fixed colours (SVG fills do not take the stylesheet's variables everywhere); both themes. */
export const statusColors: Readonly<Record<ReviewStatus, string>> = {
  on_track: '#2e8540',
  due_soon: '#c98a12',
  overdue: '#c0392b',
  never_reviewed: '#7a808a',
};

const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  portfolio_review: '#1f7a85',
  general: '#9aa3ad',
};
const EXTRA_COLORS = ['#7b5ea7', '#d07a2e', '#3f8f4f', '#b5487a', '#4a6fb5', '#8c7b32'];

/** A stable colour per category: the built-ins fixed, the advisor's own from a palette. */
export function categoryColor(category: string, index: number): string {
  return CATEGORY_COLORS[category] ?? EXTRA_COLORS[index % EXTRA_COLORS.length]!;
}

export { categoryLabel };

export function percent(share: number | null): string {
  if (share === null) return '—';
  return `${Math.round(share * 100)}%`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03" → "Mar 2026"; short: "Mar". */
export function monthLabel(month: string, short = false): string {
  const [year, index] = month.split('-');
  const name = MONTHS[Number(index) - 1] ?? month;
  return short ? name : `${name} ${year}`;
}

/** "2026-02-28" → "28 Feb 2026", read as a calendar date (no zone shifting). */
export function calendarDate(date: string | null | undefined): string {
  if (!date) return '—';
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? ''} ${year}`;
}

/**
 * An instant (ISO, UTC) as the report's own dates read, in its time zone: "26 Nov 2026 14:21".
 * The compliance table shows review dates and times that way; its other instants (a match
 * confirmed, a change written to LACRM) follow, rather than the laptop's locale and zone.
 */
export function instantIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${calendarDate(`${parts.year}-${parts.month}-${parts.day}`)} ${parts.hour}:${parts.minute}`;
}
