// What the sync engine needs from each scheduler connector. A connector pages through its API,
// validates every response with zod, normalizes bookings, and hands them over one page at a time;
// the engine stores each page in one transaction before asking for the next.
import type { BookingSource } from '../../shared/domain';
import type { NormalizedBooking } from './types';

export type SyncMode = 'full' | 'incremental';

export type PageItem =
  | Readonly<{ type: 'booking'; booking: NormalizedBooking }>
  /** Seen at the source and known unchanged; the connector skipped fetching its details. */
  | Readonly<{ type: 'unchanged'; sourceId: string }>;

export type Page = Readonly<{
  items: readonly PageItem[];
  /** 1-based number of this page, and the total if the API says. */
  page: number;
  pagesTotal: number | null;
  /** Bookings in the whole result, if the API says. */
  itemsTotal: number | null;
}>;

/** What the store already knows about some bookings, so a connector can skip refetching details. */
export type KnownBooking = Readonly<{
  sourceUpdatedAt: string | null;
  contentKey: string | null;
  /** When the booking was last stored from a full read (ISO), whether or not it had changed;
   * null when never recorded (stored before Cadence kept this). */
  detailsReadAt: string | null;
}>;

// No-shows: neither Calendly nor Cal.com shows one where a later sync looks (Calendly marks the
// invitee and leaves the event; Cal.com marks the attendee and leaves the booking's updatedAt), so
// each connector reads the meetings that ended recently again, on this one rule.
/** Meetings that ended this many days ago or less are read again… */
export const NO_SHOW_DAYS = 14;
/** …at most this often. */
export const NO_SHOW_REREAD_MS = 12 * 3_600_000;

/** Whether what was last read at `readAtMs` (NaN: never, or not recorded) is due again. */
export function noShowReadDue(readAtMs: number, nowMs: number): boolean {
  return Number.isNaN(readAtMs) || readAtMs <= nowMs - NO_SHOW_REREAD_MS;
}

export type SyncRequest = Readonly<{
  mode: SyncMode;
  /** The checkpoint this connector returned last time, or null for a first (full) sync. */
  checkpoint: unknown;
  now: Date;
  signal: AbortSignal;
  onPage: (page: Page) => void | Promise<void>;
  known: (sourceIds: readonly string[]) => ReadonlyMap<string, KnownBooking>;
}>;

export type Verified = Readonly<{
  /** A name the advisor recognises: the account's name or email. */
  account: string;
  /** The advisor's own addresses at this service (hosts, never clients). */
  ownEmails: readonly string[];
}>;

export interface SourceConnector {
  readonly source: BookingSource;
  /** A real, cheap call that proves the key works. */
  verify(signal: AbortSignal): Promise<Verified>;
  /** Fetches what changed since `checkpoint` (everything when it is null or mode is 'full'). */
  sync(request: SyncRequest): Promise<{ checkpoint: unknown }>;
  /** Re-fetches one booking (a webhook hint); null when the source no longer has it. */
  fetchOne(sourceId: string, signal: AbortSignal): Promise<NormalizedBooking | null>;
}
