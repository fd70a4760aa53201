// LACRM's own refusals, and the one question the push executor must ask after a failed create:
// "could LACRM have done it anyway?". LACRM has no idempotency keys (sheet section 7), so a create
// whose answer was lost must be checked for its marker before it is tried again.
import {
  AuthError,
  CancelledError,
  ConnectionError,
  HttpStatusError,
  NetError,
  SchemaMismatchError,
} from '../../net/errors';

/**
 * LACRM answered with `{ErrorCode, ErrorDescription}` (HTTP 400, or an ErrorCode in a 200 body):
 * it understood the call and refused it, so nothing was written. `errorCode` is opaque; show it,
 * never branch on it.
 */
export class LacrmError extends NetError {
  constructor(
    readonly functionName: string,
    readonly status: number,
    readonly errorCode: string,
    readonly description: string,
  ) {
    super(
      'lacrm',
      functionName,
      `LACRM refused the request: ${description || 'no reason given'} (error code ${errorCode})`,
    );
  }
}

/**
 * LACRM answered a 5xx with `{ErrorCode, ErrorDescription}`: its own failure, not a refusal, so
 * whether it acted is unknown (an HttpStatusError of status ≥ 500 to createOutcomeUnknown).
 */
export function lacrmServerError(
  functionName: string,
  response: { status: number; text: string },
  errorCode: string,
  description: string,
): HttpStatusError {
  return new HttpStatusError(
    'lacrm',
    functionName,
    response.status,
    response.text.slice(0, 2000),
    `LACRM had an internal error (HTTP ${response.status}): ${description || 'no reason given'} ` +
      `(error code ${errorCode})`,
  );
}

/**
 * LACRM sends a bad key as an ordinary 400 whose ErrorCode is opaque, so the description is the
 * only sign (S2: "Invalid credentials…"). A 401/403 would be one too, should LACRM ever send it.
 */
export function looksLikeBadKey(status: number, description: string): boolean {
  if (status === 401 || status === 403) return true;
  return /credential|api key|api token|authori[sz]ation header/i.test(description);
}

export function badKeyError(
  functionName: string,
  status: number,
  bodyText: string,
  description: string,
): AuthError {
  const detail = description ? ` It said: "${description}".` : '';
  return new AuthError(
    'lacrm',
    functionName,
    status,
    bodyText,
    `LACRM refused the API key.${detail} In LACRM, open Settings → Programmer API, create a new key ` +
      `(old keys stop working if API access was turned off) and paste it into Cadence.`,
  );
}

/**
 * After a Create* call failed: true when LACRM may have created the record even so (the answer
 * was lost, cut off, garbled or a 5xx), so the caller must look for its marker before retrying.
 * False when LACRM certainly did not act (it refused the call, the key, or the rate; or the
 * connection was refused before anything was sent).
 */
export function createOutcomeUnknown(error: unknown): boolean {
  if (error instanceof LacrmError || error instanceof AuthError) return false;
  if (error instanceof ConnectionError) {
    const code = (error.cause as { code?: string } | undefined)?.code;
    return !(error.reason === 'connection' && (code === 'ECONNREFUSED' || code === 'ENOTFOUND'));
  }
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 0;
  if (error instanceof SchemaMismatchError || error instanceof CancelledError) return true;
  return true; // an error we cannot place: assume the worst and check
}
