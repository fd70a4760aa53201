// Seeded randomness for the practice generator: the same seed gives the same practice, byte for
// byte. Each part of the generator draws from its own forked stream, so adding a draw in one part
// (say, a new booking field) does not reshuffle the people or the calendar.

/** A 32-bit hash of a string (FNV-1a), used to derive independent streams from one seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

export class Random {
  private state: number;

  constructor(
    private readonly seed: number,
    label = 'root',
  ) {
    this.state = hash32(`${seed}:${label}`) || 1;
  }

  /** An independent stream for one part of the generator. */
  fork(label: string): Random {
    return new Random(this.seed, `${label}:${this.state}`);
  }

  /** mulberry32: fast, good enough for test data, and trivially reproducible. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('practice: pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** Exponential waiting time with the given mean (for Poisson-like meeting counts). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i += 1) out += String(Math.floor(this.next() * 10));
    return out;
  }

  base58(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += BASE58[Math.floor(this.next() * BASE58.length)];
    return out;
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 32; i += 1) hex += HEX[Math.floor(this.next() * 16)];
    const variant = HEX[8 + Math.floor(this.next() * 4)];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
