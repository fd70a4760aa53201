// Words for a sync failure that depend on where they are read: pure, shared by the window and
// `cadence sync`.

/**
 * The services' refusal messages end "… and paste it again in Settings → Sources." On that screen
 * the pointer repeats where the advisor already is; this drops it (and leaves any other message
 * as it was).
 */
export function withoutSourcesPointer(message: string): string {
  return message.replace(/ and paste it again in Settings → Sources\./g, '.');
}
