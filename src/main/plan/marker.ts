// Markers: the stable text Cadence puts in every event description, note and created contact so a
// create whose answer was lost can be found in LACRM before it is tried again (LACRM has no
// idempotency keys; fact sheet section 7). LACRM escapes HTML in notes, so a marker uses only
// letters, digits and `:._-`, wrapped in brackets so that `[cadence:tidycal:12]` never matches
// inside `[cadence:tidycal:123]`.
import { createHash } from 'node:crypto';
import type { BookingSource } from '../../shared/domain';

const SAFE = /^[A-Za-z0-9._-]{1,80}$/;

/**
 * The part of a source id that goes into a marker: the id itself when it is short and plain; the
 * last path segment of a URI (Calendly's event URIs end in their UUID); otherwise a digest.
 */
export function markerId(sourceId: string): string {
  const trimmed = sourceId.trim();
  if (SAFE.test(trimmed)) return trimmed;
  const lastSegment = trimmed.split(/[/?#]/).filter(Boolean).at(-1) ?? '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && SAFE.test(lastSegment)) return lastSegment;
  return `h${createHash('sha256').update(trimmed).digest('hex').slice(0, 24)}`;
}

export function meetingMarker(source: BookingSource, sourceId: string): string {
  return `[cadence:${source}:${markerId(sourceId)}]`;
}

export function contactRequestMarker(profileTag: string, requestId: number): string {
  return `[cadence:contact:${markerId(profileTag)}-${requestId}]`;
}

/** Whether `text` carries `marker` (LACRM may have escaped the rest of the text, never the marker). */
export function hasMarker(text: string | null | undefined, marker: string): boolean {
  return typeof text === 'string' && text.includes(marker);
}
