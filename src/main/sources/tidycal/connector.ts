// TidyCal connector: GET /bookings paged by page number until an empty page (page size and order
// are undocumented). Filters are fragile in combination (422), so only starts_at + page are sent.
// No updated-since filter and no webhooks: an incremental sync re-scans a window of recent past and
// all future bookings. ../shared/api/calendly-tidycal.md §B
import { z } from 'zod';
import { SchemaMismatchError } from '../../net/errors';
import { joinUrl, type HttpClient } from '../../net/http';
import type { SourceConnector, SyncRequest, Verified } from '../connector';
import { expectOk, parseJson, requireOk } from '../parse';
import { normalizeTidycalBooking } from './normalize';
import {
  TidycalBooking,
  TidycalBookingType,
  TidycalList,
  TidycalMe,
  type TidycalBookingType as BookingType,
} from './schemas';

export const TIDYCAL_RESCAN_DAYS = 30;
const MAX_PAGES = 20_000;
const AUTH_MESSAGE =
  'TidyCal refused the API token. Create a new personal access token in TidyCal and paste it again in Settings → Sources.';
const Checkpoint = z.object({ watermark: z.string() });

export type TidycalConnectorOptions = Readonly<{
  http: HttpClient;
  baseUrl: string;
  apiKey: string;
  rescanDays?: number;
}>;

/** TidyCal's date filter format: UTC to the second, no milliseconds. */
export function tidycalDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createTidycalConnector(options: TidycalConnectorOptions): SourceConnector {
  const { http, baseUrl, apiKey } = options;
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  let bookingTypes: Map<number, BookingType> | null = null;

  async function get<S extends z.ZodType>(
    path: string,
    query: Record<string, string | number | undefined>,
    endpoint: string,
    schema: S,
    signal: AbortSignal,
  ) {
    const response = await expectOk(
      http,
      { method: 'GET', url: joinUrl(baseUrl, path, query), endpoint, headers, signal },
      AUTH_MESSAGE,
    );
    return parseJson('tidycal', endpoint, schema, response);
  }

  async function typeOf(
    id: number | null | undefined,
    signal: AbortSignal,
  ): Promise<BookingType | null> {
    if (id === null || id === undefined) return null;
    if (!bookingTypes) {
      bookingTypes = new Map();
      for (let page = 1; page <= MAX_PAGES; page++) {
        const body = await get(
          '/booking-types',
          { page },
          'GET /booking-types',
          TidycalList(TidycalBookingType),
          signal,
        );
        if (body.data.length === 0) break;
        const before = bookingTypes.size;
        for (const t of body.data) bookingTypes.set(t.id, t);
        if (bookingTypes.size === before) break; // the same page again: stop rather than loop
      }
    }
    return bookingTypes.get(id) ?? null;
  }

  return {
    source: 'tidycal',
    async verify(signal): Promise<Verified> {
      const me = await get('/me', {}, 'GET /me', TidycalMe, signal);
      return {
        account: me.name || me.email || 'TidyCal account',
        ownEmails: me.email ? [me.email] : [],
      };
    },

    async sync(request: SyncRequest) {
      const previous = Checkpoint.safeParse(request.checkpoint);
      const incremental = request.mode === 'incremental' && previous.success;
      const rescanMs = (options.rescanDays ?? TIDYCAL_RESCAN_DAYS) * 86_400_000;
      const startsAt = incremental
        ? tidycalDate(new Date(request.now.getTime() - rescanMs))
        : undefined;
      let lastPageIds = '';
      for (let page = 1; ; page++) {
        if (page > MAX_PAGES)
          throw new SchemaMismatchError(
            'tidycal',
            'GET /bookings',
            `more than ${MAX_PAGES} pages; stopping`,
          );
        const body = await get(
          '/bookings',
          { starts_at: startsAt, page },
          'GET /bookings',
          TidycalList(TidycalBooking),
          request.signal,
        );
        if (body.data.length === 0) break;
        const ids = body.data.map((b) => b.id).join(',');
        if (ids === lastPageIds)
          throw new SchemaMismatchError(
            'tidycal',
            'GET /bookings',
            `page ${page} repeats page ${page - 1}; the page parameter was ignored`,
          );
        lastPageIds = ids;
        const items = [];
        for (const b of body.data) {
          const type = b.booking_type ? null : await typeOf(b.booking_type_id, request.signal);
          items.push({ type: 'booking' as const, booking: normalizeTidycalBooking(b, type) });
        }
        await request.onPage({ items, page, pagesTotal: null, itemsTotal: null });
      }
      return { checkpoint: { watermark: request.now.toISOString() } };
    },

    async fetchOne(id, signal) {
      const endpoint = 'GET /bookings/{id}';
      if (!/^\d{1,20}$/.test(id)) return null;
      const response = await http.request({
        method: 'GET',
        url: joinUrl(baseUrl, `/bookings/${id}`),
        endpoint,
        headers,
        signal,
      });
      if (response.status === 404 || response.status === 403) return null;
      requireOk(http, endpoint, response, AUTH_MESSAGE);
      const b = parseJson('tidycal', endpoint, TidycalBooking, response);
      return normalizeTidycalBooking(
        b,
        b.booking_type ? null : await typeOf(b.booking_type_id, signal),
      );
    },
  };
}
