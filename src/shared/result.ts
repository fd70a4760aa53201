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

/**
 * A union reports only "Invalid input" at its own path; the branch that got furthest (deepest
 * first issue) says which field inside was wrong, e.g. data.end rather than data.
 */
export function innermostIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union') {
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter((first): first is z.core.$ZodIssue => first !== undefined)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest && deepest.path.length > 0) {
      const inner = innermostIssue(deepest);
      return { path: [...issue.path, ...inner.path], message: inner.message };
    }
  }
  return { path: issue.path, message: issue.message };
}

/** Formats zod issues as "path: message; path: message" so a failure names what and where. */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .slice(0, 5)
    .map((raw) => {
      const issue = innermostIssue(raw);
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
