// Formatting for display: dates in the advisor's locale, durations, counts, status names.
import type { BookingStatus } from '../../shared/domain';

export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return formatDateTime(iso);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** "annual-review" → "Annual review": event-type slugs read as names when a source gives no name. */
export function humanizeSlug(slug: string | null | undefined): string | null {
  if (!slug) return null;
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : null;
}

/**
 * A booking-form question as the advisor asked it. Cal.com names its answers by the field's slug
 * ("notes", "company-size"), not its label: those read as words, its own notes field as it is
 * labelled in Cal.com.
 */
export function questionLabel(question: string): string {
  if (question === 'notes') return 'Additional notes';
  return /^[a-z0-9]+([-_][a-z0-9]+)*$/.test(question)
    ? (humanizeSlug(question) ?? question)
    : question;
}

export const statusLabels: Readonly<Record<BookingStatus, string>> = {
  scheduled: 'Scheduled',
  pending: 'Pending',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
  no_show: 'No-show',
  completed: 'Held',
};

/**
 * What matching has yet to go over, said where its absence matters: `leftOut` says what that
 * means on the screen, for the bookings left (given "it"/"its" or "them"/"their"), or for a run over
 * every booking that is due.
 */
export function matchBacklogText(
  backlog: Readonly<{ pending: number; bookings: number }>,
  leftOut: Readonly<{ pending: (it: string, its: string) => string; everything: string }>,
): string {
  const n = backlog.pending;
  if (n > 0) {
    const [has, it, its] = n === 1 ? ['has', 'it', 'its'] : ['have', 'them', 'their'];
    return `${plural(n, 'booking')} ${has} not been compared with your contacts yet: the last matching stopped before it reached ${it}, so ${leftOut.pending(it, its)}.`;
  }
  return `Matching has to go over your ${plural(backlog.bookings, 'booking')} again: your contacts, your own addresses or Cadence itself changed since it last finished, so ${leftOut.everything}.`;
}
