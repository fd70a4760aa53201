// Maps any failure during a sync to a stable error code and a message an advisor can act on.
import type { ErrorCode } from '../../shared/result';
import { CoreError } from '../core/errors';
import {
  AuthError,
  CancelledError,
  ConnectionError,
  HttpStatusError,
  NetError,
  SchemaMismatchError,
} from '../net/errors';

export function describeSyncError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof CancelledError) return { code: 'cancelled', message: 'Cancelled.' };
  if (error instanceof AuthError) return { code: 'auth_failed', message: error.message };
  if (error instanceof SchemaMismatchError)
    return { code: 'schema_mismatch', message: error.message };
  if (error instanceof ConnectionError) return { code: 'network', message: error.message };
  if (error instanceof HttpStatusError) {
    return { code: error.status === 429 ? 'rate_limited' : 'remote_error', message: error.message };
  }
  if (error instanceof NetError) return { code: 'remote_error', message: error.message };
  if (error instanceof CoreError) return { code: error.code, message: error.message };
  if ((error as Error)?.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: (error as Error)?.message ?? String(error) };
}
