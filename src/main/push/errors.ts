// How a failed write is told to the advisor: a stable code the UI can switch on, a sentence, and
// whether it is worth trying again right away (the outbox retries those itself, with backoff).
import type { ErrorCode } from '../../shared/result';
import { LacrmError } from '../crm/lacrm/client';
import {
  AuthError,
  CancelledError,
  ConnectionError,
  HttpStatusError,
  SchemaMismatchError,
} from '../net/errors';

/** The advisor's field mapping does not fit LACRM's fields: nothing was sent. */
export class FieldMappingError extends Error {
  override name = 'FieldMappingError';
}

/** A change whose stored fields cannot be turned into a call (a damaged row). */
export class ChangeDataError extends Error {
  override name = 'ChangeDataError';
}

export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof AuthError) return 'auth_failed';
  if (error instanceof LacrmError) return 'remote_error';
  if (error instanceof CancelledError) return 'cancelled';
  if (error instanceof HttpStatusError) return error.status === 429 ? 'rate_limited' : 'network';
  if (error instanceof ConnectionError) return 'network';
  if (error instanceof SchemaMismatchError) return 'schema_mismatch';
  if (error instanceof FieldMappingError || error instanceof ChangeDataError)
    return 'invalid_input';
  if (error instanceof RangeError) return 'invalid_input';
  return 'internal';
}

/**
 * Worth another try now: no answer, a 5xx, or a 429 that outlasted the client's own retries.
 * LACRM's refusals, a bad key, bad data and a broken mapping are not: they need a person.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof AuthError || error instanceof LacrmError) return false;
  if (error instanceof ConnectionError) return true;
  if (error instanceof HttpStatusError) return error.status === 429 || error.status >= 500;
  if (error instanceof SchemaMismatchError) return true;
  return false;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
