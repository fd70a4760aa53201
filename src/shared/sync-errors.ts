// Words for a sync wait or failure that depend on where they are read: pure, shared by the window and
// `cadence sync`.

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
 * A failed source's line: its message, what was kept, and what to do next ("… (HTTP 503). 120
 * bookings fetched before are kept. The fault is on Cal.com's side: sync again later.").
 */
export function failedSourceText(
  error: { code?: string | null; message: string } | null | undefined,
  sourceLabel: string,
  kept?: { count: number; noun: string },
): string {
  const message = (error?.message ?? 'failed').replace(/\.?$/, '.');
  const keptText =
    kept && kept.count > 0
      ? ` ${kept.count.toLocaleString()} ${kept.noun}${kept.count === 1 ? '' : 's'} fetched before ${kept.count === 1 ? 'is' : 'are'} kept.`
      : '';
  const next = failureNextStep(error?.code, sourceLabel);
  return `${message}${keptText}${next ? ` ${next}` : ''}`;
}
