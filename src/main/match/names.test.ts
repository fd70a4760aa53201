// Name folding and parsing: the shapes the scorer compares, and the typo neighbourhood blocking
// relies on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactCompanyName,
  deletionNeighbourhood,
  foldText,
  parseAttendeeName,
  parseContactName,
} from './names';
import { withinOneEdit } from './score';

describe('foldText', () => {
  it('removes accents and case, spelling out letters that do not decompose', () => {
    expect(foldText('José García-López')).toBe('jose garcia-lopez');
    expect(foldText('Søren Åström')).toBe('soren astrom');
    expect(foldText('Łukasz Wójcik')).toBe('lukasz wojcik');
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('Zoë Müller')).toBe('zoe muller');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(foldText(foldText(text))).toBe(foldText(text));
      }),
    );
  });
});

describe('parseAttendeeName', () => {
  it('reads "First Middle Last" with a middle initial', () => {
    const [person] = parseAttendeeName('Robert J. Smith');
    expect(person).toMatchObject({
      givens: ['robert'],
      middles: ['j'],
      surname: 'smith',
      givenIsInitial: false,
      suffix: null,
    });
  });

  it('reads "Last, First" and keeps suffixes and credentials out of the names', () => {
    expect(parseAttendeeName('Smith, Robert')[0]).toMatchObject({
      givens: ['robert'],
      surname: 'smith',
    });
    expect(parseAttendeeName('Smith Jr., John')[0]).toMatchObject({
      givens: ['john'],
      surname: 'smith',
      suffix: 'jr',
    });
    expect(parseAttendeeName('John Smith, Jr.')[0]).toMatchObject({
      surname: 'smith',
      suffix: 'jr',
    });
    expect(parseAttendeeName('Deborah Fischer, CFP')[0]).toMatchObject({
      givens: ['deborah'],
      surname: 'fischer',
      suffix: null,
    });
    expect(parseAttendeeName('Ms. Priya Raman, CPA')[0]).toMatchObject({
      givens: ['priya'],
      surname: 'raman',
    });
  });

  it('drops titles, folds accents and joins particles and hyphens into the surname', () => {
    expect(parseAttendeeName('Dr. José García-López')[0]).toMatchObject({
      givens: ['jose'],
      surname: 'garcialopez',
      surnameParts: ['garcia', 'lopez'],
      surnameDisplay: 'García-López',
    });
    expect(parseAttendeeName('Pieter van den Berg')[0]).toMatchObject({
      surname: 'vandenberg',
      surnameParts: ['berg'],
    });
    expect(parseAttendeeName("Margaret O'Brien")[0]).toMatchObject({ surname: 'obrien' });
  });

  it('takes quoted or bracketed nicknames as extra given names', () => {
    expect(parseAttendeeName('Robert "Bob" Smith')[0]?.givens).toEqual(['robert', 'bob']);
    expect(parseAttendeeName("Margaret (Peggy) O'Brien")[0]?.givens).toEqual(['margaret', 'peggy']);
  });

  it('knows a first initial and the middle name the person goes by', () => {
    expect(parseAttendeeName('J. Michael Reyes')[0]).toMatchObject({
      givens: ['j', 'michael'],
      givenIsInitial: true,
      surname: 'reyes',
    });
  });

  it('splits a couple and shares the surname', () => {
    const people = parseAttendeeName('Bob & Linda Smith');
    expect(people.map((person) => [person.givens[0], person.surname])).toEqual([
      ['bob', 'smith'],
      ['linda', 'smith'],
    ]);
    expect(parseAttendeeName('Bob Smith and Linda Jones').map((person) => person.surname)).toEqual([
      'smith',
      'jones',
    ]);
  });

  it('returns nobody for blanks and for an address in the name field', () => {
    expect(parseAttendeeName(null)).toEqual([]);
    expect(parseAttendeeName('   ')).toEqual([]);
    expect(parseAttendeeName('jane@acme.example')).toEqual([]);
  });

  it('never throws and always yields folded tokens', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        for (const person of parseAttendeeName(text)) {
          for (const token of [...person.givens, ...person.middles, person.surname ?? '']) {
            expect(token).toBe(foldText(token));
            expect(token).not.toMatch(/[\s.,'"()]/);
          }
        }
      }),
    );
  });
});

describe('parseContactName', () => {
  it('handles double first names, suffixes in the last name and the suffix field', () => {
    expect(parseContactName('Mary Ann', null, 'Jones', null)).toMatchObject({
      givens: ['mary', 'maryann'],
      middles: ['ann'],
      surname: 'jones',
    });
    expect(parseContactName('John', null, 'Smith Jr.', null)).toMatchObject({
      surname: 'smith',
      suffix: 'jr',
    });
    expect(parseContactName('John', null, 'Smith', 'Jr.')).toMatchObject({ suffix: 'jr' });
    expect(parseContactName('Robert (Bob)', 'James', 'Smith', null)).toMatchObject({
      givens: ['robert', 'bob'],
      middles: ['james'],
    });
    expect(parseContactName('J. Michael', null, 'Reyes', null).givens).toEqual(['j', 'michael']);
  });

  it('keeps particle and double surnames whole, with their parts', () => {
    expect(parseContactName('Laura', null, 'Bianchi Ferrari', null)).toMatchObject({
      surname: 'bianchiferrari',
      surnameParts: ['bianchi', 'ferrari'],
    });
    expect(parseContactName('Gabriela', null, 'dos Santos', null)).toMatchObject({
      surname: 'dossantos',
      surnameParts: ['santos'],
    });
  });
});

describe('plain names (the fast path)', () => {
  // Plain ASCII words take a shortcut; the general path must give exactly the same name. A double
  // space (booking) or an empty suffix field (contact) sends the same words down the general path.
  const word = fc.oneof(
    fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
      minLength: 1,
      maxLength: 9,
    }),
    fc.constantFrom('Dr', 'mr', 'Jr', 'III', 'CPA', 'van', 'De', 'and', 'J', 'Mc'),
  );

  it('builds "First Last", "Last, First" and "F. Last" as the general path does', () => {
    fc.assert(
      fc.property(word, word, (given, surname) => {
        expect(parseAttendeeName(`${given} ${surname}`)).toEqual(
          parseAttendeeName(`${given}  ${surname}`),
        );
        expect(parseAttendeeName(`${surname}, ${given}`)).toEqual(
          parseAttendeeName(`${surname},  ${given}`),
        );
        expect(parseAttendeeName(`${given[0]!}. ${surname}`)).toEqual(
          parseAttendeeName(`${given[0]!}.  ${surname}`),
        );
      }),
    );
  });

  it('builds a contact name as the general path does', () => {
    fc.assert(
      fc.property(word, fc.option(word), word, (first, middle, last) => {
        expect(parseContactName(first, middle, last, null)).toEqual(
          parseContactName(first, middle, last, ''),
        );
      }),
    );
  });
});

describe('compactCompanyName', () => {
  it('drops legal forms and punctuation', () => {
    expect(compactCompanyName('The Harbor Group, LLC')).toBe('harborgroup');
    expect(compactCompanyName('Smith & Sons Inc.')).toBe('smithandsons');
    expect(compactCompanyName(null)).toBeNull();
    expect(compactCompanyName('LLC')).toBeNull();
  });
});

describe('typo neighbourhoods', () => {
  const word = fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')),
    minLength: 5,
    maxLength: 12,
  });
  const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));

  /** One random edit: substitution, insertion, deletion or adjacent swap. */
  const edited = fc
    .tuple(word, fc.nat(), letter, fc.constantFrom('sub', 'ins', 'del', 'swap'))
    .map(([original, at, replacement, edit]) => {
      const i = at % original.length;
      const j = Math.min(i + 1, original.length - 1);
      switch (edit) {
        case 'sub':
          return { original, typo: original.slice(0, i) + replacement + original.slice(i + 1) };
        case 'ins':
          return { original, typo: original.slice(0, i) + replacement + original.slice(i) };
        case 'del':
          return { original, typo: original.slice(0, i) + original.slice(i + 1) };
        case 'swap':
          return {
            original,
            typo: original.slice(0, i) + original[j] + original[i] + original.slice(j + 1),
          };
      }
    })
    .filter(({ typo }) => typo.length >= 5);

  it('puts a word and any one-edit typo of it into a shared neighbourhood entry', () => {
    fc.assert(
      fc.property(edited, ({ original, typo }) => {
        const mine = new Set(deletionNeighbourhood(original));
        expect(deletionNeighbourhood(typo).some((form) => mine.has(form))).toBe(true);
        expect(withinOneEdit(original, typo)).toBe(true);
      }),
    );
  });

  it('withinOneEdit rejects words two edits apart', () => {
    expect(withinOneEdit('smith', 'smyth')).toBe(true);
    expect(withinOneEdit('smtih', 'smith')).toBe(true);
    expect(withinOneEdit('write', 'wright')).toBe(false);
    expect(withinOneEdit('smith', 'smithers')).toBe(false);
    expect(withinOneEdit('johnson', 'jonsen')).toBe(false);
  });

  it('gives short words no neighbourhood', () => {
    expect(deletionNeighbourhood('lee')).toEqual(['lee']);
    expect(deletionNeighbourhood('chen')).toEqual(['chen']);
  });
});
