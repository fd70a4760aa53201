// Network failures, each saying which source and endpoint failed and why, in words an advisor can
// pass on to support. No URL query strings or headers (they can carry keys) go into messages.
import type { SyncSource } from '../../shared/domain';
import { sourceLabels } from '../../shared/domain';

export class NetError extends Error {
  constructor(
    readonly source: SyncSource,
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${sourceLabels[source]} ${endpoint}: ${message}`, options);
    this.name = new.target.name;
  }
}

/** The request was cancelled by the advisor (or the app is closing). */
export class CancelledError extends NetError {
  constructor(source: SyncSource, endpoint: string) {
    super(source, endpoint, 'cancelled');
  }
}

/**
 * No response: the connection was refused or the name not found ('connection'), the service hung
 * up before answering ('closed'), or the timeout passed ('timeout').
 */
export class ConnectionError extends NetError {
  constructor(
    source: SyncSource,
    endpoint: string,
    readonly reason: 'timeout' | 'connection' | 'closed',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(source, endpoint, connectionMessage(reason, detail), options);
  }
}

function connectionMessage(reason: ConnectionError['reason'], detail: string): string {
  switch (reason) {
    case 'timeout':
      return `no answer within the time limit (${detail})`;
    case 'connection':
      return `could not connect (${detail})`;
    case 'closed':
      return `the connection was closed before an answer arrived (${detail})`;
  }
}

/** The service answered with an error status after all retries. */
export class HttpStatusError extends NetError {
  constructor(
    source: SyncSource,
    endpoint: string,
    readonly status: number,
    readonly bodyText: string,
    message: string,
  ) {
    super(source, endpoint, message);
  }
}

/** The response did not have the shape the fact sheet promises; names the field. */
export class SchemaMismatchError extends NetError {
  constructor(
    source: SyncSource,
    endpoint: string,
    readonly detail: string,
  ) {
    super(source, endpoint, `unexpected response shape: ${detail}`);
  }
}

/** The key was refused. */
export class AuthError extends HttpStatusError {}
