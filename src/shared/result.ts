// The result envelope every call across a process boundary returns (IPC, loopback bridge, CLI core
// calls): results, not exceptions, with a stable code the UI can switch on and a readable message.
import { z } from 'zod';

export const errorCodes = [
  'invalid_input',
  'unknown_method',
  'forbidden_sender',
  'not_found',
  'conflict',
  'cancelled',
  'busy',
  'db_unavailable',
  'db_wrong_key',
  'db_corrupt',
  'db_from_future',
  'db_key_missing',
  'keychain_unavailable',
  'secret_missing',
  'auth_failed',
  'network',
  'rate_limited',
  'remote_error',
  'schema_mismatch',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({ code: ErrorCode, message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Formats zod issues as "path: message; path: message" so a failure names what and where. */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
