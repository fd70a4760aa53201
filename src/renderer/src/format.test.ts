import { describe, expect, it } from 'vitest';
import { questionLabel } from './format';

describe('questionLabel', () => {
  it("reads a Cal.com answer's field slug as words, and its notes field as Cal.com labels it", () => {
    expect(questionLabel('notes')).toBe('Additional notes');
    expect(questionLabel('company-size')).toBe('Company size');
    expect(questionLabel('how_did_you_hear')).toBe('How did you hear');
  });

  it('keeps a question that is already words as it was asked', () => {
    expect(questionLabel('What would you like to cover?')).toBe('What would you like to cover?');
    expect(questionLabel('Notes')).toBe('Notes');
  });
});
