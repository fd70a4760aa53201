// Calendly API v2 connector. Calendly has no "updated since" filter, so an incremental sync
// re-scans a window (recent past and all future) and fetches invitees — one call per event — only
// for events that are new or whose updated_at / invitee counter changed, and for meetings that
// ended in the last two weeks, at most twice a day, for the no-shows (needsInviteeRead). A --full
// sync reads every event's invitees.
// ../shared/api/calendly-tidycal.md §A
import { z } from 'zod';
import { SchemaMismatchError } from '../../net/errors';
import { joinUrl, type HttpClient } from '../../net/http';
import {
  NO_SHOW_DAYS,
  noShowReadDue,
  type KnownBooking,
  type Page,
  type PageItem,
  type SourceConnector,
  type SyncRequest,
  type Verified,
} from '../connector';
import { expectOk, parseJson, requireOk } from '../parse';
import type { NormalizedBooking } from '../types';
import { calendlyChangeKey, normalizeCalendlyEvent, type EventTypeInfo } from './normalize';
import {
  CalendlyEvent,
  CalendlyEventOne,
  CalendlyEventType,
  CalendlyInvitee,
  CalendlyUser,
  collectionOf,
} from './schemas';

export const CALENDLY_PAGE_SIZE = 100;
export const CALENDLY_RESCAN_DAYS = 30;
/** Events whose invitees were read, handed to the store together (see sync). */
export const INVITEE_READS_PER_HANDOVER = 10;
/**
 * Whether an event's invitees must be read, given what the store knows. A full sync reads them
 * all. Otherwise a new or changed event is read; so is a meeting that ended in the last
 * NO_SHOW_DAYS days when its invitees were last read before it ended or over half a day ago
 * (noShowReadDue): Calendly records a no-show (and its removal) on the invitee, leaving the event's updated_at
 * and counter as they were, so the event list alone never shows it. Later no-shows come with the
 * invitee_no_show webhook or a --full sync.
 */
export function needsInviteeRead(
  event: z.output<typeof CalendlyEvent>,
  known: KnownBooking | undefined,
  now: Date,
  mode: SyncRequest['mode'],
): boolean {
  if (mode === 'full' || known === undefined) return true;
  if (known.contentKey !== calendlyChangeKey(event)) return true;
  if (event.status !== 'active') return false;
  const endMs = Date.parse(event.end_time);
  const nowMs = now.getTime();
  if (!(endMs <= nowMs && endMs >= nowMs - NO_SHOW_DAYS * 86_400_000)) return false;
  const readMs = known.detailsReadAt === null ? Number.NaN : Date.parse(known.detailsReadAt);
  return readMs < endMs || noShowReadDue(readMs, nowMs);
}

const Checkpoint = z.object({ userUri: z.string(), watermark: z.string().optional() });
const AUTH_MESSAGE =
  'Calendly refused the access token. Create a new personal access token (Integrations → API & Webhooks) and paste it again in Settings → Sources.';

export type CalendlyConnectorOptions = Readonly<{
  http: HttpClient;
  baseUrl: string;
  apiKey: string;
  rescanDays?: number;
  pageSize?: number;
}>;

export function createCalendlyConnector(options: CalendlyConnectorOptions): SourceConnector {
  const { http, baseUrl, apiKey } = options;
  const count = Math.min(options.pageSize ?? CALENDLY_PAGE_SIZE, CALENDLY_PAGE_SIZE);
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  let eventTypes: Map<string, EventTypeInfo> | null = null;

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
    return parseJson('calendly', endpoint, schema, response);
  }

  /** Follows page_token to the end of a collection. */
  async function* collect<S extends z.ZodType>(
    path: string,
    query: Record<string, string | number | undefined>,
    endpoint: string,
    item: S,
    signal: AbortSignal,
  ) {
    let pageToken: string | undefined;
    const seenTokens = new Set<string>();
    for (;;) {
      const body = await get(
        path,
        { ...query, count, page_token: pageToken },
        endpoint,
        collectionOf(item),
        signal,
      );
      yield body.collection as z.output<S>[];
      const next = body.pagination.next_page_token ?? undefined;
      if (!next) return;
      if (seenTokens.has(next))
        throw new SchemaMismatchError(
          'calendly',
          endpoint,
          'pagination.next_page_token repeats an earlier page',
        );
      seenTokens.add(next);
      pageToken = next;
    }
  }

  async function me(signal: AbortSignal) {
    return (await get('/users/me', {}, 'GET /users/me', CalendlyUser, signal)).resource;
  }

  async function typeOf(
    userUri: string,
    uri: string | null | undefined,
    signal: AbortSignal,
  ): Promise<EventTypeInfo | null> {
    if (!uri) return null;
    if (!eventTypes) {
      eventTypes = new Map();
      for await (const page of collect(
        '/event_types',
        { user: userUri },
        'GET /event_types',
        CalendlyEventType,
        signal,
      )) {
        for (const t of page) eventTypes.set(t.uri, { slug: t.slug ?? null, name: t.name ?? null });
      }
    }
    return eventTypes.get(uri) ?? null;
  }

  async function invitees(eventUri: string, signal: AbortSignal) {
    const uuid = uuidOf(eventUri);
    const all: z.output<typeof CalendlyInvitee>[] = [];
    for await (const page of collect(
      `/scheduled_events/${uuid}/invitees`,
      {},
      'GET /scheduled_events/{uuid}/invitees',
      CalendlyInvitee,
      signal,
    )) {
      all.push(...page);
    }
    return all;
  }

  async function full(
    userUri: string,
    event: z.output<typeof CalendlyEvent>,
    signal: AbortSignal,
  ): Promise<NormalizedBooking> {
    const [list, type] = [
      await invitees(event.uri, signal),
      await typeOf(userUri, event.event_type, signal),
    ];
    try {
      return normalizeCalendlyEvent(event, list, type);
    } catch (error) {
      throw new SchemaMismatchError(
        'calendly',
        'GET /scheduled_events',
        `event ${uuidOf(event.uri)}: ${(error as Error).message}`,
      );
    }
  }

  return {
    source: 'calendly',
    async verify(signal): Promise<Verified> {
      const user = await me(signal);
      return {
        account: user.name || user.email || 'Calendly account',
        ownEmails: user.email ? [user.email] : [],
      };
    },

    async sync(request: SyncRequest) {
      const previous = Checkpoint.safeParse(request.checkpoint);
      const userUri = previous.success ? previous.data.userUri : (await me(request.signal)).uri;
      const incremental = request.mode === 'incremental' && previous.success;
      const rescanMs = (options.rescanDays ?? CALENDLY_RESCAN_DAYS) * 86_400_000;
      const query = {
        user: userUri,
        sort: 'start_time:asc',
        min_start_time: incremental
          ? new Date(request.now.getTime() - rescanMs).toISOString()
          : undefined,
      };
      let page = 0;
      for await (const events of collect(
        '/scheduled_events',
        query,
        'GET /scheduled_events',
        CalendlyEvent,
        request.signal,
      )) {
        page++;
        const known = request.known(events.map((e) => e.uri));
        let items: PageItem[] = [];
        let reads = 0;
        let handed = false;
        const hand = async () => {
          const out: Page = { items, page, pagesTotal: null, itemsTotal: null };
          items = [];
          reads = 0;
          handed = true;
          await request.onPage(out);
        };
        for (const event of events) {
          if (needsInviteeRead(event, known.get(event.uri), request.now, request.mode)) {
            items.push({ type: 'booking', booking: await full(userUri, event, request.signal) });
            // Handed over every few invitee reads, not once per page: a page of 100 events is
            // 100 reads, two minutes at the free plan's 50 a minute, and the progress (and what
            // a cancel or a failure keeps) should not wait for the whole page.
            if (++reads >= INVITEE_READS_PER_HANDOVER) await hand();
          } else {
            items.push({ type: 'unchanged', sourceId: event.uri });
          }
        }
        if (items.length > 0 || !handed) await hand();
      }
      return { checkpoint: { userUri, watermark: request.now.toISOString() } };
    },

    async fetchOne(eventUri, signal) {
      const endpoint = 'GET /scheduled_events/{uuid}';
      const response = await http.request({
        method: 'GET',
        url: joinUrl(baseUrl, `/scheduled_events/${uuidOf(eventUri)}`),
        endpoint,
        headers,
        signal,
      });
      if (response.status === 404) return null;
      requireOk(http, endpoint, response, AUTH_MESSAGE);
      const event = parseJson('calendly', endpoint, CalendlyEventOne, response).resource;
      const user = await me(signal);
      return full(user.uri, event, signal);
    },
  };
}

/** The last path segment of a Calendly URI (its UUID), refusing anything that is not a plain id. */
export function uuidOf(uri: string): string {
  const last = uri.replace(/\/+$/, '').split('/').pop() ?? '';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(last))
    throw new SchemaMismatchError(
      'calendly',
      'URI',
      `not a Calendly resource URI: ${last.slice(0, 40)}`,
    );
  return last;
}
