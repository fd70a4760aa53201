// CoreError: a failure with a stable code the UI and CLI can act on and a message a person can read.
import type { ErrorCode } from '../../shared/result';

export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CoreError';
  }
}
