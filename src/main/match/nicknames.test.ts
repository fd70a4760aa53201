// The nickname table's lookups, and that the table itself is well-formed.
import { describe, expect, it } from 'vitest';
import { NICKNAMES as DEMO_NICKNAMES } from '../demo/practice/names';
import {
  canonicalSpelling,
  formalNamesOf,
  givenNameGroup,
  nicknamesOf,
  relateGivenNames,
} from './nicknames';

describe('nickname lookups', () => {
  it('finds the formal names a nickname is short for', () => {
    expect(formalNamesOf('bob')).toEqual(['robert']);
    expect(formalNamesOf('liz')).toEqual(['elizabeth']);
    expect(formalNamesOf('peggy')).toEqual(['margaret']);
    expect([...formalNamesOf('chris')].sort()).toEqual([
      'christian',
      'christina',
      'christine',
      'christopher',
    ]);
    expect(formalNamesOf('robert')).toEqual([]);
    expect(formalNamesOf('zebulon')).toEqual([]);
  });

  it('lists the nicknames of a formal name, also under another spelling', () => {
    expect(nicknamesOf('robert')).toEqual(expect.arrayContaining(['bob', 'bobby', 'rob']));
    expect(nicknamesOf('william')).toEqual(expect.arrayContaining(['bill', 'will', 'liam']));
    expect(nicknamesOf('katherine')).toEqual(nicknamesOf('catherine'));
    expect(nicknamesOf('bob')).toEqual([]);
  });

  it('maps spellings of one name to one canonical spelling', () => {
    expect(canonicalSpelling('steven')).toBe(canonicalSpelling('stephen'));
    expect(canonicalSpelling('kathryn')).toBe('catherine');
    expect(canonicalSpelling('elisabeth')).toBe('elizabeth');
    expect(canonicalSpelling('zebulon')).toBe('zebulon');
  });

  it('groups a name with the formal names it may stand for', () => {
    expect(givenNameGroup('bob')).toEqual(['bob', 'robert']);
    expect(givenNameGroup('robert')).toEqual(['robert']);
    expect(givenNameGroup('nathan')).toEqual(
      expect.arrayContaining(['nathan', 'jonathan', 'nathaniel']),
    );
  });

  it('relates two given names: same, spelling, nickname, shared formal, or nothing', () => {
    expect(relateGivenNames('anna', 'anna')).toEqual({ kind: 'same' });
    expect(relateGivenNames('steven', 'stephen')).toEqual({ kind: 'spelling' });
    expect(relateGivenNames('bob', 'robert')).toEqual({
      kind: 'nickname',
      nickname: 'bob',
      formal: 'robert',
    });
    expect(relateGivenNames('robert', 'bob')).toEqual({
      kind: 'nickname',
      nickname: 'bob',
      formal: 'robert',
    });
    expect(relateGivenNames('liz', 'elisabeth')).toMatchObject({ kind: 'nickname' });
    expect(relateGivenNames('bob', 'rob')).toEqual({ kind: 'shared-formal', formal: 'robert' });
    expect(relateGivenNames('bob', 'william')).toBeNull();
    expect(relateGivenNames('paul', 'paula')).toBeNull();
    expect(relateGivenNames('daniel', 'danielle')).toBeNull();
  });
});

describe('short forms people book under today', () => {
  it('knows the common ones, each leading to its formal name', () => {
    const pairs: readonly (readonly [string, string])[] = [
      ['ray', 'raymond'],
      ['randy', 'randall'],
      ['reggie', 'reginald'],
      ['stu', 'stuart'],
      ['wes', 'wesley'],
      ['vic', 'victor'],
      ['max', 'maxwell'],
      ['ollie', 'oliver'],
      ['eli', 'elijah'],
      ['manny', 'manuel'],
      ['ginny', 'virginia'],
      ['tess', 'theresa'],
      ['josie', 'josephine'],
      ['penny', 'penelope'],
      ['sophie', 'sophia'],
      ['liv', 'olivia'],
      ['val', 'valerie'],
      ['topher', 'christopher'],
      ['sammie', 'samantha'],
    ];
    for (const [nickname, formal] of pairs) {
      expect(relateGivenNames(nickname, formal), `${nickname} ~ ${formal}`).toMatchObject({
        kind: 'nickname',
        nickname,
        formal,
      });
    }
  });

  it('knows the common second spellings', () => {
    for (const [a, b] of [
      ['kristopher', 'christopher'],
      ['shawn', 'sean'],
      ['bryan', 'brian'],
      ['stewart', 'stuart'],
      ['allen', 'alan'],
      ['debra', 'deborah'],
      ['jeffery', 'geoffrey'],
      ['sofia', 'sophia'],
    ] as const) {
      expect(relateGivenNames(a, b), `${a} ~ ${b}`).toEqual({ kind: 'spelling' });
    }
  });

  it('keeps a short form of two names ambiguous without relating the two names', () => {
    expect([...formalNamesOf('ronnie')].sort()).toEqual(['ronald', 'veronica']);
    expect(relateGivenNames('ronald', 'veronica')).toBeNull();
    expect(relateGivenNames('emma', 'emily')).toBeNull();
  });

  it('knows every short form the demo practice books under', () => {
    // The demo's clients book under these; one the engine does not know turns a nickname booking
    // into an orphan on the demo's review screen.
    for (const [formal, nicknames] of Object.entries(DEMO_NICKNAMES)) {
      for (const nickname of nicknames) {
        expect(
          relateGivenNames(nickname.toLowerCase(), formal.toLowerCase()),
          `${nickname} ~ ${formal}`,
        ).not.toBeNull();
      }
    }
  });
});

describe('the table', () => {
  const formals = [
    'robert',
    'william',
    'elizabeth',
    'margaret',
    'richard',
    'catherine',
    'christopher',
    'alexander',
    'patricia',
    'edward',
  ];

  it('is symmetric: every nickname of a formal name leads back to it', () => {
    for (const formal of formals) {
      const nicknames = nicknamesOf(formal);
      expect(nicknames.length, formal).toBeGreaterThan(0);
      for (const nickname of nicknames) {
        expect(formalNamesOf(nickname), `${nickname} → ${formal}`).toContain(
          canonicalSpelling(formal),
        );
        expect(relateGivenNames(nickname, formal), `${nickname} ~ ${formal}`).not.toBeNull();
      }
    }
  });

  it('never lists a name as its own nickname', () => {
    for (const formal of formals) {
      expect(nicknamesOf(formal)).not.toContain(canonicalSpelling(formal));
    }
  });
});
