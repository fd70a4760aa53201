// Words for a sync wait or failure that depend on where they are read: pure, shared by the window and
// `cadence sync`.
import { sourceLabels, type SyncSource } from './domain';

/** What a waiting source waits for: "waiting 14 s <this>". No reason said: the rate limit. */
export function waitPurpose(reason: 'rate_limit' | 'retry' | undefined): string {
  return reason === 'retry' ? 'to try again after a server error' : 'for the rate limit';
}

/**
 * The services' refusal messages end "… and paste it again in Settings → Sources." On that screen
 * the pointer repeats where the advisor already is; this drops it (and leaves any other message
 * as it was).
 */
export function withoutSourcesPointer(message: string): string {
  return message.replace(/ and paste it again in Settings → Sources\./g, '.');
}

/**
 * What the advisor can do after a source failed, by the failure's code; null when the message
 * already says it (a refused key says where to get a new one) or there is nothing to add. Whatever
 * the source fetched before the failure is stored, and the next sync goes on from the last
 * finished one, so "Sync now again" loses and duplicates nothing.
 */
export function failureNextStep(
  code: string | null | undefined,
  sourceLabel: string,
): string | null {
  switch (code) {
    case 'network':
      return 'Check that this computer is online, then sync again.';
    case 'remote_error':
      return `The fault is on ${sourceLabel}'s side: sync again later.`;
    case 'rate_limited':
      return `${sourceLabel} is still limiting requests: sync again in a few minutes.`;
    case 'schema_mismatch':
      return `Cadence could not read ${sourceLabel}'s answer: sync again later, and if it keeps failing, send Cadence support the log (logs/cadence.log in the data folder).`;
    default:
      return null;
  }
}

/**
 * A network failure's message leads with the service and the call ("Cal.com GET /bookings: the
 * service had…"): beside the service's name, the words come first and the call goes last, for
 * support. Other messages are returned as they are.
 */
function wordsFirst(message: string, sourceLabel: string): { words: string; call: string | null } {
  const rest = message.startsWith(`${sourceLabel} `) ? message.slice(sourceLabel.length + 1) : '';
  const call = /^((?:GET|POST|PUT|PATCH|DELETE) \S+|[A-Z][A-Za-z]+): /.exec(rest);
  if (!call) return { words: message, call: null };
  return { words: rest.slice(call[0].length), call: call[1]! };
}

/**
 * A failed source's line, said beside the source's name: what went wrong, what was kept, what to
 * do next, and the call that failed ("The service had an internal error (HTTP 503). 120 bookings
 * fetched before are kept. The fault is on Cal.com's side: sync again later. Failed call: GET
 * /bookings.").
 */
export function failedSourceText(
  error: { code?: string | null; message: string } | null | undefined,
  source: SyncSource,
  fetched = 0,
): string {
  const label = sourceLabels[source];
  const { words, call } = wordsFirst(error?.message ?? 'failed', label);
  const message = `${words.charAt(0).toUpperCase()}${words.slice(1)}`.replace(/\.?$/, '.');
  const noun = source === 'lacrm' ? 'contact' : 'booking';
  const keptText =
    fetched > 0
      ? ` ${fetched.toLocaleString()} ${noun}${fetched === 1 ? '' : 's'} fetched before ${fetched === 1 ? 'is' : 'are'} kept.`
      : '';
  const next = failureNextStep(error?.code, label);
  return `${message}${keptText}${next ? ` ${next}` : ''}${call ? ` Failed call: ${call}.` : ''}`;
}
