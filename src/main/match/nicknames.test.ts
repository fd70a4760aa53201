// The nickname table's lookups, and that the table itself is well-formed.
import { describe, expect, it } from 'vitest';
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
    expect([...formalNamesOf('chris')].sort()).toEqual(['christina', 'christine', 'christopher']);
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
