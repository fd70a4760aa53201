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
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/** FNV-1a over kind, first and second, with separators so ("ab","c") ≠ ("a","bc"). */
export function blockHash(kind: BlockKind, first: string, second = ''): number {
  let h = Math.imul(FNV_OFFSET ^ kind, FNV_PRIME);
  h = mix(h, first);
  h = Math.imul(h ^ 0x1f, FNV_PRIME);
  h = mix(h, second);
  return h >>> 0;
}

const EMPTY: Int32Array = new Int32Array(0);
// Positions must fit below 2^21 so (hash, position) packs exactly into one double for sorting.
const POSITION_LIMIT = 2 ** 21;

export class BlockTable {
  private constructor(
    private readonly keys: Uint32Array,
    private readonly starts: Int32Array,
    private readonly members: Int32Array,
  ) {}

  /** Number of distinct blocking keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Positions of the contacts under a key, ascending; empty when none. */
  get(hash: number): Int32Array {
    let low = 0;
    let high = this.keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const key = this.keys[middle]!;
      if (key < hash) low = middle + 1;
      else if (key > hash) high = middle - 1;
      else return this.members.subarray(this.starts[middle]!, this.starts[middle + 1]!);
    }
    return EMPTY;
  }

  static builder(): BlockTableBuilder {
    return new BlockTableBuilder();
  }

  /** @internal used by the builder */
  static fromSorted(keys: Uint32Array, starts: Int32Array, members: Int32Array): BlockTable {
    return new BlockTable(keys, starts, members);
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
    return BlockTable.fromSorted(
      Uint32Array.from(keys),
      Int32Array.from(starts),
      members.slice(0, memberCount),
    );
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
    const end = Math.min(positions.length, limit);
    for (let i = 0; i < end; i += 1) {
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
    const weights = this.weights;
    const chosen = Array.from(this.touched.subarray(0, this.touchedCount));
    if (chosen.length > count) chosen.sort((a, b) => weights[b]! - weights[a]! || a - b);
    for (const position of chosen) weights[position] = 0;
    this.touchedCount = 0;
    return chosen.length > count ? chosen.slice(0, count) : chosen;
  }
}
