// Shared helpers for connectors: parse a response body with zod, and turn a failure into an error
// that names the source, the endpoint and the field.
import { z } from 'zod';
import type { SyncSource } from '../../shared/domain';
import { innermostIssue } from '../../shared/result';
import { AuthError, SchemaMismatchError } from '../net/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../net/http';

export function parseJson<S extends z.ZodType>(
  source: SyncSource,
  endpoint: string,
  schema: S,
  response: HttpResponse,
): z.output<S> {
  let body: unknown;
  try {
    body = response.text.length === 0 ? null : JSON.parse(response.text);
  } catch {
    throw new SchemaMismatchError(
      source,
      endpoint,
      `the body is not valid JSON (${response.text.length} bytes${response.text.length > 0 ? `, starting "${response.text.slice(0, 24).replace(/\s+/g, ' ')}"` : ''})`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = innermostIssue(parsed.error.issues[0]!);
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    throw new SchemaMismatchError(source, endpoint, `field ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** Sends a request and requires a 2xx; 401/403 become AuthError with an advisor-readable message. */
export async function expectOk(
  http: HttpClient,
  req: HttpRequest,
  authMessage: string,
): Promise<HttpResponse> {
  const response = await http.request(req);
  requireOk(http, req.endpoint, response, authMessage);
  return response;
}

/** Throws unless the response is 2xx; 401/403 become AuthError carrying `authMessage`. */
export function requireOk(
  http: HttpClient,
  endpoint: string,
  response: HttpResponse,
  authMessage: string,
): void {
  if (response.status >= 200 && response.status < 300) return;
  if (response.status === 401 || response.status === 403) {
    throw new AuthError(
      http.source,
      endpoint,
      response.status,
      response.text.slice(0, 500),
      authMessage,
    );
  }
  throw http.statusError({ endpoint }, response);
}

/** ISO string with milliseconds in UTC, from any ISO-8601 input (microseconds are truncated). */
export function toUtcIso(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${value}`);
  return new Date(ms).toISOString();
}

export function minutesBetween(startIso: string, endIso: string): number {
  return Math.max(0, Math.round((Date.parse(endIso) - Date.parse(startIso)) / 60_000));
}

export function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export const IsoDateTime = z
  .string()
  .refine((v) => Number.isFinite(Date.parse(v)), 'must be an ISO 8601 date-time');
