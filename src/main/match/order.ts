// The order to match many attendees in. Matching one attendee reads the contacts, blocking
// entries and memoized name facts of its surname; attendees are pure functions of the index, so
// the order changes no outcome, only speed. Taken one surname after another, the contacts a
// Smith touches are still in the processor's caches for the next Smith, instead of being fetched
// from memory again a few thousand attendees later. With 20,000 contacts much of matching's time
// is waiting for memory; this order alone took a sixth to a fifth off bench/match.ts.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Positions must fit below 2^21 so (key, position) packs exactly into one double. */
const POSITION_BITS = 2 ** 21;

type Named = Readonly<{ email: string | null; name: string | null }>;

const isLetter = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;

/**
 * A hash of the word an attendee is most likely filed under: the surname of "Robert Smith" and of
 * "Smith, Robert", else the letters of the email's local part. Rough on purpose: a wrong guess
 * only costs locality, never an outcome.
 */
export function localityKey(attendee: Named): number {
  const name = attendee.name ?? '';
  let end = name.length;
  const comma = name.indexOf(',');
  if (comma > 0) end = comma;
  // The last run of letters before `end`.
  while (end > 0 && !isLetter(name.charCodeAt(end - 1))) end -= 1;
  let start = end;
  while (start > 0 && isLetter(name.charCodeAt(start - 1))) start -= 1;
  let text = name;
  if (start === end) {
    text = attendee.email ?? '';
    start = 0;
    end = text.indexOf('@');
    if (end < 0) end = text.length;
  }
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (!isLetter(code)) continue;
    // ASCII letters fold to lower case; other letters are hashed as they are.
    hash = Math.imul(hash ^ (code < 128 ? code | 0x20 : code), FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * The positions of `attendees` in the order to match them: grouped by localityKey, in input order
 * within a group. A permutation of 0..length-1.
 */
export function localityOrder(attendees: readonly Named[]): Int32Array {
  const order = new Int32Array(attendees.length);
  // Above 2^21 attendees each slice of that size is ordered on its own (still a permutation).
  for (let from = 0; from < attendees.length; from += POSITION_BITS) {
    const to = Math.min(attendees.length, from + POSITION_BITS);
    const packed = new Float64Array(to - from);
    for (let i = from; i < to; i += 1) {
      packed[i - from] = localityKey(attendees[i]!) * POSITION_BITS + (i - from);
    }
    packed.sort();
    for (let i = 0; i < packed.length; i += 1) {
      order[from + i] = from + (packed[i]! % POSITION_BITS);
    }
  }
  return order;
}
