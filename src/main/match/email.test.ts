// normalizeEmail: the comparison key everything else hangs on, so its laws are property-tested.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPersonalDomain, isRoleMailbox, normalizeEmail } from './email';

const localChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const localWord = fc.string({ unit: localChar, minLength: 1, maxLength: 12 });
/** A plain local part made of words joined by dots: "jane.q.doe". */
const dottedLocal = fc
  .array(localWord, { minLength: 1, maxLength: 4 })
  .map((words) => words.join('.'));
const tag = fc.string({ unit: localChar, minLength: 1, maxLength: 8 });
const exampleDomain = fc.constantFrom(
  'example.com',
  'acme.example',
  'mail.test',
  'sub.firm.example',
);

function randomCase(text: string, flips: readonly boolean[]): string {
  return [...text]
    .map((char, i) => (flips[i % Math.max(1, flips.length)] ? char.toUpperCase() : char))
    .join('');
}

describe('normalizeEmail', () => {
  it('trims and lower-cases, keeping everything else of a non-Gmail address', () => {
    expect(normalizeEmail('  Jane.Doe@Acme.Example \n')).toEqual({
      key: 'jane.doe@acme.example',
      plusTag: null,
      baseKey: 'jane.doe@acme.example',
      local: 'jane.doe',
      writtenLocal: 'jane.doe',
      domain: 'acme.example',
    });
  });

  it('keeps a +tag in the key outside Gmail and reports it, with the untagged form', () => {
    const email = normalizeEmail('Jane+Advisor@acme.example');
    expect(email?.key).toBe('jane+advisor@acme.example');
    expect(email?.plusTag).toBe('advisor');
    expect(email?.baseKey).toBe('jane@acme.example');
    expect(email?.writtenLocal).toBe('jane');
  });

  it('folds dots and +tags for gmail.com and treats googlemail.com as gmail.com', () => {
    expect(normalizeEmail('J.O.H.N.Smith+cadence@GoogleMail.com')).toMatchObject({
      key: 'johnsmith@gmail.com',
      plusTag: 'cadence',
      baseKey: 'johnsmith@gmail.com',
      domain: 'gmail.com',
      // The dots stay where names are read from the address.
      writtenLocal: 'j.o.h.n.smith',
    });
    expect(normalizeEmail('john.smith@gmail.com')?.key).toBe(
      normalizeEmail('johnsmith@gmail.com')?.key,
    );
  });

  it('does not treat a leading + as a tag', () => {
    expect(normalizeEmail('+team@acme.example')).toMatchObject({
      key: '+team@acme.example',
      plusTag: null,
      baseKey: '+team@acme.example',
    });
  });

  it.each([
    '',
    '   ',
    'jane',
    'jane@',
    '@acme.example',
    'jane@localhost',
    'jane@@acme.example',
    'jane doe@acme.example',
    '"jane doe"@acme.example',
    '.jane@acme.example',
    'jane.@acme.example',
    'ja..ne@acme.example',
    'jane@acme..example',
    'jane@-acme.example',
    'jane@acme.123',
    'jane@10.0.0.1',
    'jane@ácme.123',
    'Jane Doe <jane@acme.example>',
    '...@gmail.com',
    `${'a'.repeat(65)}@acme.example`,
  ])('rejects %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });

  it('is idempotent: normalizing a key gives the same key', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (raw) => {
        const once = normalizeEmail(raw);
        if (once === null) return;
        expect(normalizeEmail(once.key)?.key).toBe(once.key);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normalizeEmail(raw);
        if (once === null) return;
        expect(normalizeEmail(once.key)?.key).toBe(once.key);
      }),
    );
  });

  it('is case- and surrounding-whitespace-insensitive', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', ' ', '\t', '\n '),
        (raw, flips, pad) => {
          expect(normalizeEmail(`${pad}${randomCase(raw, flips)}${pad}`)).toEqual(
            normalizeEmail(raw),
          );
        },
      ),
    );
  });

  it('gives every dot and +tag variant of a Gmail address the same key', () => {
    fc.assert(
      fc.property(
        dottedLocal,
        fc.option(tag, { nil: null }),
        fc.constantFrom('gmail.com', 'googlemail.com', 'GMail.com'),
        (local, plus, domain) => {
          const plain = local.replaceAll('.', '');
          const email = normalizeEmail(`${local}${plus === null ? '' : `+${plus}`}@${domain}`);
          expect(email?.key).toBe(`${plain}@gmail.com`);
          expect(email?.baseKey).toBe(email?.key);
          expect(email?.plusTag).toBe(plus);
        },
      ),
    );
  });

  it('keeps dots significant outside Gmail and strips only the tag in baseKey', () => {
    fc.assert(
      fc.property(dottedLocal, tag, exampleDomain, (local, plus, domain) => {
        const tagged = normalizeEmail(`${local}+${plus}@${domain}`);
        expect(tagged?.key).toBe(`${local}+${plus}@${domain}`);
        expect(tagged?.baseKey).toBe(`${local}@${domain}`);
        expect(tagged?.plusTag).toBe(plus);
        expect(normalizeEmail(`${local}@${domain}`)?.key).toBe(tagged?.baseKey);
      }),
    );
  });

  it('accepts exactly the ASCII addresses the RFC 5322 dot-atom rules accept', () => {
    const atom = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
    const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
    const reference = new RegExp(`^${atom}(?:\\.${atom})*@${label}(?:\\.${label})+$`);
    const unit = fc.constantFrom(...'ab9.-_+@~"( '.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), (raw) => {
        const text = raw.trim().toLowerCase();
        const local = text.slice(0, text.lastIndexOf('@'));
        const expected =
          reference.test(text) && local.length <= 64 && !/\.\d+$/.test(text) && text.length <= 254;
        expect(normalizeEmail(raw) !== null, JSON.stringify(raw)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.string({
            unit: fc.constantFrom('a', '.', '@', '+', ' ', 'é', 'ß', '\u0130', '-', '"'),
            maxLength: 40,
          }),
        ),
        (raw) => {
          const email = normalizeEmail(raw);
          if (email !== null) expect(email.key).toBe(`${email.local}@${email.domain}`);
        },
      ),
    );
  });
});

describe('isPersonalDomain / isRoleMailbox', () => {
  it('knows consumer providers and accepts extra ones', () => {
    expect(isPersonalDomain('gmail.com')).toBe(true);
    expect(isPersonalDomain('icloud.com')).toBe(true);
    expect(isPersonalDomain('acme.example')).toBe(false);
    expect(isPersonalDomain('mail.example', new Set(['mail.example']))).toBe(true);
  });

  it('recognizes role mailboxes, not people', () => {
    expect(isRoleMailbox('info')).toBe(true);
    expect(isRoleMailbox('frontdesk')).toBe(true);
    expect(isRoleMailbox('no-reply')).toBe(true);
    expect(isRoleMailbox('jane.doe')).toBe(false);
  });
});
