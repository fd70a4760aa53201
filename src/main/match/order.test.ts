import { describe, expect, it } from 'vitest';
import { localityKey, localityOrder } from './order';

const person = (name: string | null, email: string | null = null) => ({ name, email });

describe('localityKey', () => {
  it('files a name under its surname, written either way round and in any case', () => {
    const key = localityKey(person('Robert Smith'));
    expect(localityKey(person('Smith, Robert'))).toBe(key);
    expect(localityKey(person('bob SMITH '))).toBe(key);
    expect(localityKey(person('Dr. R. J. Smith.'))).toBe(key);
    expect(localityKey(person('Robert Smyth'))).not.toBe(key);
  });

  it('uses the letters of the mailbox when there is no name', () => {
    expect(localityKey(person(null, 'jsmith42@mail.example'))).toBe(
      localityKey(person('', 'j.smith@other.example')),
    );
    expect(localityKey(person(null, null))).toBe(localityKey(person('  ', '')));
  });

  it('keeps letters beyond ASCII', () => {
    expect(localityKey(person('Søren Åström'))).not.toBe(localityKey(person('Soren Astrom')));
    expect(localityKey(person('Søren Åström'))).toBe(localityKey(person('Åström, Søren')));
  });
});

describe('localityOrder', () => {
  it('is a permutation that puts one surname together, in input order within it', () => {
    const attendees = [
      person('Robert Smith'),
      person('Ann Jones'),
      person('Smith, Jane'),
      person(null, 'ajones@mail.example'),
      person('Bob Smith'),
      person('Li Wei'),
    ];
    const order = [...localityOrder(attendees)];
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const smiths = order.filter((i) => [0, 2, 4].includes(i));
    expect(smiths).toEqual([0, 2, 4]);
    const at = order.indexOf(0);
    expect(order.slice(at, at + 3)).toEqual([0, 2, 4]);
  });

  it('orders nothing when there is nothing', () => {
    expect(localityOrder([])).toHaveLength(0);
  });
});
