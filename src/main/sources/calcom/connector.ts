// Cal.com API v2 connector: offset paging (take ≤ 250, skip) with an explicit sort on an immutable
// key, deduplicated by uid; incremental passes on afterUpdatedAt and afterCreatedAt with a few
// minutes of overlap (updatedAt can be null, so created-since is polled too), and twice a day a
// pass over the bookings that ended in the last two weeks, for attendee no-shows, which do not
// move updatedAt. ../shared/api/calcom.md
import { z } from 'zod';
import { HttpStatusError, SchemaMismatchError } from '../../net/errors';
import { joinUrl, type HttpClient } from '../../net/http';
import {
  NO_SHOW_DAYS,
  noShowReadDue,
  type Page,
  type SourceConnector,
  type SyncRequest,
  type Verified,
} from '../connector';
import { parseJson, requireOk } from '../parse';
import type { NormalizedBooking } from '../types';
import { normalizeCalcomBooking } from './normalize';
import {
  CALCOM_API_VERSION,
  CALCOM_FALLBACK_API_VERSION,
  CalcomBookingList,
  CalcomBookingOne,
  CalcomLegacyList,
  type CalcomBooking,
} from './schemas';

export const CALCOM_PAGE_SIZE = 250;
const OVERLAP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

// `endedReadAt`: when the bookings that had recently ended were last read (absent before it was kept).
const Checkpoint = z.object({ watermark: z.string(), endedReadAt: z.string().optional() });

export type CalcomConnectorOptions = Readonly<{
  http: HttpClient;
  baseUrl: string;
  apiKey: string;
  pageSize?: number;
}>;

const AUTH_MESSAGE =
  'Cal.com refused the API key. Check that it is a current v2 key (cal_live_…) and paste it again in Settings → Sources.';

export function createCalcomConnector(options: CalcomConnectorOptions): SourceConnector {
  const { http, baseUrl, apiKey } = options;
  const take = Math.min(options.pageSize ?? CALCOM_PAGE_SIZE, CALCOM_PAGE_SIZE);
  // Newest first; a self-hosted Cal.com without the 2026-02-25 controller may still have 2024-08-13,
  // which returns the same list shape. Anything older falls back to the legacy handler.
  const versions = [CALCOM_API_VERSION, CALCOM_FALLBACK_API_VERSION];
  let versionIndex = 0;
  const headers = () => ({
    authorization: `Bearer ${apiKey}`,
    'cal-api-version': versions[versionIndex]!,
    accept: 'application/json',
  });
  const endpoint = 'GET /bookings';
  const legacyMessage = () =>
    `the server answered with its legacy 2024-04-15 API instead of cal-api-version ${versions.join(' or ')}. A self-hosted Cal.com may be too old for Cadence; update it, or check the API address in Settings → Sources.`;

  async function listPage(
    query: Record<string, string | number>,
    signal: AbortSignal,
  ): Promise<z.output<typeof CalcomBookingList>> {
    const url = joinUrl(baseUrl, '/bookings', query);
    const response = await http.request({
      method: 'GET',
      url,
      endpoint,
      headers: headers(),
      signal,
    });
    if (response.status === 400 && looksLikeLegacyValidation(response.text)) {
      if (versionIndex < versions.length - 1) {
        versionIndex++;
        return listPage(query, signal);
      }
      throw new SchemaMismatchError('calcom', endpoint, legacyMessage());
    }
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 401 &&
      response.status !== 403
    ) {
      const detail = calcomErrorMessage(response.text);
      if (detail) {
        throw new HttpStatusError(
          'calcom',
          endpoint,
          response.status,
          response.text.slice(0, 2000),
          `HTTP ${response.status}: ${detail}`,
        );
      }
    }
    requireOk(http, endpoint, response, AUTH_MESSAGE);
    const legacy = CalcomLegacyList.safeParse(safeJson(response.text));
    if (legacy.success && !Array.isArray((legacy.data as { data: unknown }).data)) {
      throw new SchemaMismatchError('calcom', endpoint, legacyMessage());
    }
    return parseJson('calcom', endpoint, CalcomBookingList, response);
  }

  /** Pages through one query to the end, handing each page over; dedupes uids across pages. */
  async function pass(
    request: SyncRequest,
    query: Record<string, string>,
    seen: Set<string>,
    pageOffset: number,
  ) {
    let skip = 0;
    let page = 0;
    for (;;) {
      const body = await listPage({ ...query, take, skip }, request.signal);
      page++;
      const fresh = body.data.filter((b) => !seen.has(b.uid));
      for (const b of fresh) seen.add(b.uid);
      const items = fresh.map((b) => ({ type: 'booking' as const, booking: normalize(b) }));
      const pagesTotal = Math.max(1, Math.ceil(body.pagination.totalItems / take));
      const out: Page = {
        items,
        page: pageOffset + page,
        pagesTotal: pageOffset + pagesTotal,
        itemsTotal: body.pagination.totalItems,
      };
      await request.onPage(out);
      if (!body.pagination.hasNextPage || body.data.length === 0) return page;
      skip += take;
    }
  }

  function normalize(b: CalcomBooking): NormalizedBooking {
    try {
      return normalizeCalcomBooking(b);
    } catch (error) {
      throw new SchemaMismatchError(
        'calcom',
        endpoint,
        `booking ${b.uid}: ${(error as Error).message}`,
      );
    }
  }

  return {
    source: 'calcom',
    async verify(signal): Promise<Verified> {
      const body = await listPage({ take: 1, sortCreated: 'desc' }, signal);
      const host = body.data[0]?.hosts[0];
      const ownEmails = body.data.flatMap((b) =>
        b.hosts.map((h) => h.email).filter((e): e is string => !!e),
      );
      return { account: host?.name || host?.email || 'Cal.com account', ownEmails };
    },

    async sync(request) {
      const startedAt = request.now.toISOString();
      const checkpoint = Checkpoint.safeParse(request.checkpoint);
      const seen = new Set<string>();
      if (request.mode === 'full' || !checkpoint.success) {
        await pass(request, { sortCreated: 'asc' }, seen, 0);
        return { checkpoint: { watermark: startedAt, endedReadAt: startedAt } };
      }
      const since = new Date(Date.parse(checkpoint.data.watermark) - OVERLAP_MS).toISOString();
      let pages = await pass(request, { afterUpdatedAt: since, sortUpdatedAt: 'asc' }, seen, 0);
      pages += await pass(request, { afterCreatedAt: since, sortCreated: 'asc' }, seen, pages);
      // An attendee's no-show leaves the booking's updatedAt as it was (Cal.com writes it on the
      // attendee), so the passes above miss it: twice a day, read what ended in the last two weeks.
      let endedReadAt = checkpoint.data.endedReadAt;
      const lastRead = endedReadAt === undefined ? Number.NaN : Date.parse(endedReadAt);
      const nowMs = request.now.getTime();
      if (noShowReadDue(lastRead, nowMs)) {
        // Starts a day earlier than the window so a long meeting that ended in it is included.
        const afterStart = new Date(nowMs - (NO_SHOW_DAYS + 1) * DAY_MS).toISOString();
        await pass(request, { afterStart, beforeEnd: startedAt, sortStart: 'asc' }, seen, pages);
        endedReadAt = startedAt;
      }
      return {
        checkpoint: { watermark: startedAt, ...(endedReadAt ? { endedReadAt } : {}) },
      };
    },

    async fetchOne(uid, signal) {
      const ep = 'GET /bookings/{uid}';
      const response = await http.request({
        method: 'GET',
        url: joinUrl(baseUrl, `/bookings/${encodeURIComponent(uid)}`),
        endpoint: ep,
        headers: headers(),
        signal,
      });
      if (response.status === 404) return null;
      requireOk(http, ep, response, AUTH_MESSAGE);
      const body = parseJson('calcom', ep, CalcomBookingOne, response);
      const found = Array.isArray(body.data) ? body.data.find((b) => b.uid === uid) : body.data;
      return found ? normalize(found) : null;
    },
  };
}

const CalcomErrorEnvelope = z.looseObject({
  status: z.literal('error'),
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

/** The message in Cal.com's v2 error envelope, with class-validator details if any. */
export function calcomErrorMessage(text: string): string | null {
  const parsed = CalcomErrorEnvelope.safeParse(safeJson(text));
  if (!parsed.success) return null;
  const { message, details } = parsed.data.error;
  const errors =
    (
      details as
        { errors?: { property?: string; constraints?: Record<string, string> }[] } | undefined
    )?.errors ?? [];
  const constraints = errors.flatMap((e) => Object.values(e.constraints ?? {})).slice(0, 3);
  return [message, ...constraints].filter(Boolean).join('; ') || null;
}

/** The legacy handler's validation: our v2 parameters refused, `filters` demanded. */
function looksLikeLegacyValidation(text: string): boolean {
  return /"property"\s*:\s*"filters"/.test(text) || /filters must be/.test(text);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
