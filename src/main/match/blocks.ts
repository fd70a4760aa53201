// The blocking table: blocking key → contact positions, stored as sorted typed arrays instead of a
// Map of small arrays. Keys are 32-bit hashes of (kind, text, text), computed without building
// strings. A hash collision only merges two blocks, which adds a few candidates the scorer then
// rejects; it can never lose one. Building and looking up stay allocation-free on the hot path,
// which is what makes 20,000 contacts index in well under a second.

export const BlockKind = {
  surnameInitial: 1,
  surnameGivenSound: 2,
  surnameSoundInitial: 3,
  surnameTypoInitial: 4,
  surname: 5,
  given: 6,
  mailbox: 7,
  domain: 8,
  company: 9,
  surnameGiven: 10,
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a steps over text[0..end). */
function mix(hash: number, text: string, end = text.length): number {
  let h = hash;
  for (let i = 0; i < end; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/** FNV-1a over kind, first and second, with separators so ("ab","c") ≠ ("a","bc"). */
export function blockHash(kind: BlockKind, first: string, second = ''): number {
  return finishBlockHash(blockHashPrefix(kind, first), second);
}

/** The hash state after kind and first: a key family computed once, finished per second part. */
export function blockHashPrefix(kind: BlockKind, first: string): number {
  const h = mix(Math.imul(FNV_OFFSET ^ kind, FNV_PRIME), first);
  return Math.imul(h ^ 0x1f, FNV_PRIME);
}

/** blockHash(kind, first, second) from blockHashPrefix(kind, first). */
export function finishBlockHash(prefix: number, second: string): number {
  return mix(prefix, second) >>> 0;
}

const EMPTY: Int32Array = new Int32Array(0);
// The presence filter keeps the upper 32 - 12 = 20 bits of each key: 2^20 bits.
const FILTER_SHIFT = 12;
// Positions must fit below 2^21 so (hash, position) packs exactly into one double for sorting.
const POSITION_LIMIT = 2 ** 21;

/**
 * A presence filter over the surnames of the index, by the FNV hash of each read forwards and
 * backwards, so a mailbox name can be searched for a surname at its start or end without cutting
 * out each candidate piece (one string per cut was most of that search). A clear bit means "no
 * surname here" for certain; a set bit is checked against the real set.
 */
export class SurnameFilter {
  private readonly bits = presenceBits();

  add(word: string): void {
    markPresent(this.bits, forwardHash(word, word.length));
    markPresent(this.bits, backwardHash(word, 0));
  }

  /** Whether word[0..end) may be a surname. */
  mayStartWith(word: string, end: number): boolean {
    return mayBePresent(this.bits, forwardHash(word, end));
  }

  /** Whether word[start..) may be a surname. */
  mayEndWith(word: string, start: number): boolean {
    return mayBePresent(this.bits, backwardHash(word, start));
  }
}

/** A presence filter of 2^20 bits: one per value of a hash's upper 20 bits (128 KB). */
function presenceBits(): Int32Array {
  return new Int32Array(2 ** (32 - FILTER_SHIFT) / 32);
}

function markPresent(bits: Int32Array, hash: number): void {
  const bit = hash >>> FILTER_SHIFT;
  bits[bit >>> 5]! |= 1 << (bit & 31);
}

/** False only when no marked hash shares these upper bits. */
function mayBePresent(bits: Int32Array, hash: number): boolean {
  const bit = hash >>> FILTER_SHIFT;
  return (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

function forwardHash(word: string, end: number): number {
  return mix(FNV_OFFSET, word, end) >>> 0;
}

function backwardHash(word: string, start: number): number {
  let h = FNV_OFFSET;
  for (let i = word.length - 1; i >= start; i -= 1)
    h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

export class BlockTable {
  private constructor(
    /** Open-addressing hash table, two ints per slot: (key as int32, block + 1); block + 1 = 0 marks
     * an empty slot. Key and block side by side cost one cache miss per probe instead of two. */
    private readonly slots: Int32Array,
    /** One bit per (upper 20 bits of a) key present: a 128 KB filter that stays in cache, so a key
     * that is not there (most typo and sound-alike keys) is usually answered without touching the
     * multi-megabyte table. A set bit only means "probe"; a clear bit means absent for certain. */
    private readonly present: Int32Array,
    private readonly starts: Int32Array,
    private readonly members: Int32Array,
    private readonly keyCount: number,
  ) {}

  /** Number of distinct blocking keys. */
  get size(): number {
    return this.keyCount;
  }

  /** The block under a key, or -1. Keys are already uniform hashes: one probe is usually enough. */
  private find(hash: number): number {
    if (!mayBePresent(this.present, hash)) return -1;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const wanted = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const block = slots[2 * slot + 1]!;
      if (block === 0) return -1;
      if (slots[2 * slot] === wanted) return block - 1;
    }
  }

  /** Positions of the contacts under a key, ascending; empty when none. */
  get(hash: number): Int32Array {
    const block = this.find(hash);
    if (block === -1) return EMPTY;
    return this.members.subarray(this.starts[block]!, this.starts[block + 1]!);
  }

  /**
   * Tallies the first `limit` contacts under a key, when it holds 1..maxSize of them. The same as
   * `tally.add(get(hash), …)` after a size check, without creating a view per lookup: matching
   * does this about ten times per attendee, and the views were garbage.
   */
  tallyInto(
    hash: number,
    maxSize: number,
    tally: CandidateTally,
    weight: number,
    limit: number,
    maxDistinct: number,
  ): void {
    const block = this.find(hash);
    if (block === -1) return;
    const start = this.starts[block]!;
    const end = this.starts[block + 1]!;
    if (end - start > maxSize) return;
    tally.addRange(this.members, start, Math.min(end, start + limit), weight, maxDistinct);
  }

  static builder(): BlockTableBuilder {
    return new BlockTableBuilder();
  }

  /** @internal used by the builder: keys ascending, starts[i]..starts[i+1] their members. */
  static fromSorted(keys: readonly number[], starts: Int32Array, members: Int32Array): BlockTable {
    let capacity = 16;
    while (capacity < keys.length * 2) capacity *= 2;
    const slots = new Int32Array(capacity * 2);
    const present = presenceBits();
    const mask = capacity - 1;
    for (let block = 0; block < keys.length; block += 1) {
      const key = keys[block]!;
      markPresent(present, key);
      let slot = key & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = key | 0;
      slots[2 * slot + 1] = block + 1;
    }
    return new BlockTable(slots, present, starts, members, keys.length);
  }
}

export class BlockTableBuilder {
  private packed = new Float64Array(1024);
  private length = 0;

  add(hash: number, position: number): void {
    if (position >= POSITION_LIMIT) throw new Error('match: more contacts than the index supports');
    if (this.length === this.packed.length) {
      const grown = new Float64Array(this.packed.length * 2);
      grown.set(this.packed);
      this.packed = grown;
    }
    this.packed[this.length] = hash * POSITION_LIMIT + position;
    this.length += 1;
  }

  build(): BlockTable {
    const sorted = this.packed.subarray(0, this.length).sort();
    const keys: number[] = [];
    const starts: number[] = [];
    const members = new Int32Array(sorted.length);
    let memberCount = 0;
    let previous = -1;
    for (let i = 0; i < sorted.length; i += 1) {
      const value = sorted[i]!;
      if (value === previous) continue;
      previous = value;
      const hash = Math.floor(value / POSITION_LIMIT);
      const position = value - hash * POSITION_LIMIT;
      if (keys.length === 0 || keys[keys.length - 1] !== hash) {
        keys.push(hash);
        starts.push(memberCount);
      }
      members[memberCount] = position;
      memberCount += 1;
    }
    starts.push(memberCount);
    return BlockTable.fromSorted(keys, Int32Array.from(starts), members.slice(0, memberCount));
  }
}

/**
 * Per-contact weights for one attendee's blocking hits, in typed arrays reused across attendees
 * (a Map per attendee was the single largest cost of matching). Matching is synchronous, so one
 * index serves one attendee at a time; `take` clears what it touched.
 */
export class CandidateTally {
  private readonly weights: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private chosenPositions = new Int32Array(16);
  private chosenWeights = new Float64Array(16);

  constructor(contactCount: number) {
    this.weights = new Float64Array(contactCount);
    this.touched = new Int32Array(contactCount);
  }

  /** Distinct contacts tallied so far. */
  get size(): number {
    return this.touchedCount;
  }

  /**
   * Adds `weight` to each of the first `limit` positions. Once `maxDistinct` contacts are in, only
   * those gain weight: an attendee whose keys reach hundreds of contacts has no clear candidates,
   * and ranking all of them would cost more than it tells.
   */
  add(positions: Int32Array, weight: number, limit: number, maxDistinct: number): void {
    this.addRange(positions, 0, Math.min(positions.length, limit), weight, maxDistinct);
  }

  /** `add` over positions[start..end). */
  addRange(
    positions: Int32Array,
    start: number,
    end: number,
    weight: number,
    maxDistinct: number,
  ): void {
    for (let i = start; i < end; i += 1) {
      const position = positions[i]!;
      if (this.weights[position] === 0) {
        if (this.touchedCount >= maxDistinct) continue;
        this.touched[this.touchedCount] = position;
        this.touchedCount += 1;
      }
      this.weights[position]! += weight;
    }
  }

  /** The `count` heaviest positions (ties: lower position first); resets for the next attendee. */
  take(count: number): number[] {
    if (this.chosenPositions.length < count) {
      this.chosenPositions = new Int32Array(count);
      this.chosenWeights = new Float64Array(count);
    }
    const weights = this.weights;
    const chosenPositions = this.chosenPositions;
    const chosenWeights = this.chosenWeights;
    let length = 0;
    // Top `count` by insertion into a short sorted list (heavier first, then lower position), kept
    // in scratch arrays: no comparator calls, no full sort of up to MAX_WEIGHED contacts, and no
    // garbage per attendee (Array#splice allocated an array on every call).
    for (let i = 0; i < this.touchedCount; i += 1) {
      const position = this.touched[i]!;
      const weight = weights[position]!;
      weights[position] = 0;
      let at = length;
      while (
        at > 0 &&
        (weight > chosenWeights[at - 1]! ||
          (weight === chosenWeights[at - 1]! && position < chosenPositions[at - 1]!))
      ) {
        at -= 1;
      }
      if (at >= count) continue;
      // Shift the lighter ones down; when the list is full the lightest falls off the end.
      for (let j = length < count ? length : count - 1; j > at; j -= 1) {
        chosenPositions[j] = chosenPositions[j - 1]!;
        chosenWeights[j] = chosenWeights[j - 1]!;
      }
      chosenPositions[at] = position;
      chosenWeights[at] = weight;
      if (length < count) length += 1;
    }
    this.touchedCount = 0;
    const chosen: number[] = [];
    for (let j = 0; j < length; j += 1) chosen.push(chosenPositions[j]!);
    return chosen;
  }
}
