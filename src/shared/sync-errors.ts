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
