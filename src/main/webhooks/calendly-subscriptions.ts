// Calendly webhook subscriptions (calendly-tidycal.md §A5): create one for the advisor's receiver
// URL with a signing key Cadence generates (Calendly never shows it again, so the caller stores it
// in the keychain as `calendly-webhook`), list them with their state (Calendly disables a
// subscription after 24 hours of failed deliveries and it must then be deleted and created
// again), and delete one. Every response is parsed with zod.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { describeZodError } from '../../shared/result';
import { SchemaMismatchError } from '../net/errors';
import { joinUrl, type HttpClient, type HttpResponse } from '../net/http';
import { uuidOf } from '../sources/calendly/connector';
import { CalendlyUser, collectionOf } from '../sources/calendly/schemas';
import { IsoDateTime, parseJson, requireOk } from '../sources/parse';

/** The invitee events a booking sync cares about (routing forms are organization-only). */
export const CALENDLY_SUBSCRIBED_EVENTS = [
  'invitee.created',
  'invitee.canceled',
  'invitee_no_show.created',
  'invitee_no_show.deleted',
] as const;

const AUTH_MESSAGE =
  'Calendly refused the access token for webhook subscriptions. Check that the token has the webhooks scope and paste it again in Settings → Sources.';
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Where Calendly should deliver: https (a tunnel), or plain http on this machine for testing. */
export const CallbackUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.username || url.password || url.hash) return false;
      return (
        url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
      );
    } catch {
      return false;
    }
  }, 'must be an https:// URL (the tunnel to this receiver), without credentials');

export const CalendlySubscription = z.looseObject({
  uri: z.string().min(1),
  callback_url: z.string(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime.nullish(),
  retry_started_at: IsoDateTime.nullish(),
  state: z.enum(['active', 'disabled']),
  events: z.array(z.string()),
  scope: z.enum(['user', 'organization', 'group']),
  organization: z.string(),
  user: z.string().nullish(),
});
type RawSubscription = z.infer<typeof CalendlySubscription>;

export type CalendlySubscriptionInfo = Readonly<{
  uri: string;
  callbackUrl: string;
  state: 'active' | 'disabled';
  events: readonly string[];
  scope: 'user' | 'organization' | 'group';
  createdAt: string;
  /** Set while Calendly is retrying failed deliveries; after 24 h the state becomes disabled. */
  retryStartedAt: string | null;
}>;

export type CalendlySubscriptionsOptions = Readonly<{
  http: HttpClient;
  baseUrl: string;
  apiKey: string;
}>;

/** Calendly said no, in its own words (a plan without webhooks, a URL already subscribed). */
export class CalendlySubscriptionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CalendlySubscriptionError';
  }
}

const CalendlyErrorBody = z.looseObject({
  title: z.string().optional(),
  message: z.string().optional(),
});

function calendlyMessage(response: HttpResponse): string {
  try {
    const body = CalendlyErrorBody.safeParse(JSON.parse(response.text));
    if (body.success) return [body.data.title, body.data.message].filter(Boolean).join(': ');
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${response.status}`;
}

function toInfo(s: RawSubscription): CalendlySubscriptionInfo {
  return {
    uri: s.uri,
    callbackUrl: s.callback_url,
    state: s.state,
    events: s.events,
    scope: s.scope,
    createdAt: s.created_at,
    retryStartedAt: s.retry_started_at ?? null,
  };
}

/** 32 random bytes, URL-safe: the key Calendly signs deliveries with. */
export function generateSigningKey(): string {
  return randomBytes(32).toString('base64url');
}

function headers(apiKey: string, json = false): Record<string, string> {
  return {
    authorization: `Bearer ${apiKey}`,
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

async function currentUser(options: CalendlySubscriptionsOptions, signal: AbortSignal) {
  const endpoint = 'GET /users/me';
  const response = await options.http.request({
    method: 'GET',
    url: joinUrl(options.baseUrl, '/users/me'),
    endpoint,
    headers: headers(options.apiKey),
    signal,
  });
  requireOk(options.http, endpoint, response, AUTH_MESSAGE);
  const user = parseJson('calendly', endpoint, CalendlyUser, response).resource;
  if (!user.current_organization) {
    throw new SchemaMismatchError(
      'calendly',
      endpoint,
      'field resource.current_organization: missing (webhook subscriptions need the organization)',
    );
  }
  return { uri: user.uri, organization: user.current_organization };
}

export type CreatedSubscription = Readonly<{
  subscription: CalendlySubscriptionInfo;
  /** Store this in the keychain as `calendly-webhook`: Calendly will not show it again. */
  signingKey: string;
}>;

export async function createCalendlySubscription(
  options: CalendlySubscriptionsOptions,
  request: Readonly<{ url: string; signal: AbortSignal; signingKey?: string }>,
): Promise<CreatedSubscription> {
  const url = CallbackUrl.safeParse(request.url);
  if (!url.success) throw new TypeError(describeZodError(url.error, 'url'));
  const user = await currentUser(options, request.signal);
  const signingKey = request.signingKey ?? generateSigningKey();
  const endpoint = 'POST /webhook_subscriptions';
  const response = await options.http.request({
    method: 'POST',
    url: joinUrl(options.baseUrl, '/webhook_subscriptions'),
    endpoint,
    headers: headers(options.apiKey, true),
    body: JSON.stringify({
      url: url.data,
      events: CALENDLY_SUBSCRIBED_EVENTS,
      organization: user.organization,
      user: user.uri,
      scope: 'user',
      signing_key: signingKey,
    }),
    signal: request.signal,
  });
  if (response.status === 401) requireOk(options.http, endpoint, response, AUTH_MESSAGE);
  if (response.status === 403 || response.status === 409 || response.status === 400) {
    throw new CalendlySubscriptionError(
      response.status,
      `Calendly did not create the subscription: ${calendlyMessage(response)}`,
    );
  }
  requireOk(options.http, endpoint, response, AUTH_MESSAGE);
  const created = parseJson(
    'calendly',
    endpoint,
    z.object({ resource: CalendlySubscription }),
    response,
  );
  return { subscription: toInfo(created.resource), signingKey };
}

export async function listCalendlySubscriptions(
  options: CalendlySubscriptionsOptions,
  signal: AbortSignal,
): Promise<CalendlySubscriptionInfo[]> {
  const user = await currentUser(options, signal);
  const endpoint = 'GET /webhook_subscriptions';
  const out: CalendlySubscriptionInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await options.http.request({
      method: 'GET',
      url: joinUrl(options.baseUrl, '/webhook_subscriptions', {
        organization: user.organization,
        user: user.uri,
        scope: 'user',
        count: PAGE_SIZE,
        page_token: pageToken,
      }),
      endpoint,
      headers: headers(options.apiKey),
      signal,
    });
    requireOk(options.http, endpoint, response, AUTH_MESSAGE);
    const body = parseJson('calendly', endpoint, collectionOf(CalendlySubscription), response);
    out.push(...body.collection.map(toInfo));
    const next = body.pagination.next_page_token ?? undefined;
    if (!next) return out;
    if (next === pageToken)
      throw new SchemaMismatchError('calendly', endpoint, 'pagination.next_page_token repeats');
    pageToken = next;
  }
  throw new SchemaMismatchError('calendly', endpoint, `more than ${MAX_PAGES} pages; stopping`);
}

/** Deletes a subscription by URI; false when Calendly no longer has it. */
export async function deleteCalendlySubscription(
  options: CalendlySubscriptionsOptions,
  uri: string,
  signal: AbortSignal,
): Promise<boolean> {
  const endpoint = 'DELETE /webhook_subscriptions/{uuid}';
  const response = await options.http.request({
    method: 'DELETE',
    url: joinUrl(options.baseUrl, `/webhook_subscriptions/${uuidOf(uri)}`),
    endpoint,
    headers: headers(options.apiKey),
    signal,
    retry: 'idempotent',
  });
  if (response.status === 404) return false;
  requireOk(options.http, endpoint, response, AUTH_MESSAGE);
  return true;
}
