// The startup check of the custom fields Cadence writes by label.
import { describe, expect, it } from 'vitest';
import { customFieldProblems } from './fields';
import type { LacrmCustomField } from './types';

function field(Name: string, Type: string, IsArchived = false): LacrmCustomField {
  return { CustomFieldId: '1', Name, Type, RecordType: 'Contact', IsArchived, Options: [] };
}

const expected = [
  { name: 'Last portfolio review', type: 'Date' },
  { name: 'Next review due', type: 'Date' },
];

describe('customFieldProblems', () => {
  it('is empty when every field exists with its type', () => {
    const defs = [field('Last portfolio review', 'Date'), field('Next review due', 'Date')];
    expect(customFieldProblems(defs, expected)).toEqual([]);
  });

  it('names a missing, renamed-by-case, archived or retyped field', () => {
    expect(customFieldProblems([field('next review due', 'Date')], expected)).toEqual([
      expect.stringMatching(/no contact field named "Last portfolio review"/),
      expect.stringMatching(
        /has "next review due" but Cadence needs the exact name "Next review due"/,
      ),
    ]);
    expect(
      customFieldProblems(
        [field('Last portfolio review', 'Date', true), field('Next review due', 'Text')],
        expected,
      ),
    ).toEqual([
      expect.stringMatching(/"Last portfolio review" is archived/),
      expect.stringMatching(/"Next review due" is a Text field; Cadence needs a Date field/),
    ]);
  });
});
