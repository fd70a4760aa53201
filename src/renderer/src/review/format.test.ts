import { describe, expect, it } from 'vitest';
import { decidedFor } from './format';

describe('decidedFor', () => {
  it('names the address a decision is remembered for, with the booking name beside it', () => {
    expect(decidedFor({ name: 'Kwame Myers', email: 'kwame@mail.example' })).toBe(
      'kwame@mail.example (Kwame Myers)',
    );
    expect(decidedFor({ name: '  ', email: 'kwame@mail.example' })).toBe('kwame@mail.example');
  });

  it('falls back to the name, or says there is none, without an address', () => {
    expect(decidedFor({ name: 'Kwame Myers', email: null })).toBe('Kwame Myers');
    expect(decidedFor({ name: null, email: null })).toBe('Unnamed attendee');
  });
});
