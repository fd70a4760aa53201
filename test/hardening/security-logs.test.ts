// Security, logs: src/main/log.ts promises that every line is scrubbed of email addresses and
// anything shaped like an API key or token before it is written. Property tests over what it
// claims (emails; Cal.com keys; Bearer tokens; JWTs such as Calendly and TidyCal tokens;
// LACRM-shaped keys; long hex such as the DB key; long opaque tokens) in the places a log line
// carries them: Authorization headers, URL query strings, JSON bodies, error messages. Names are
// not redacted (callers must not log them); the demo run's real log is checked for them in
// security-data.int.test.ts. Also: the byte scanner those tests rely on finds what it should.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, redact, setLogSink } from '../../src/main/log';
import { tempDir } from '../helpers/temp';
import { scanFolder, secretNeedles } from './security-support';

afterEach(() => setLogSink((line) => process.stderr.write(`${line}\n`), 'warn'));

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
const run = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: chars(alphabet), minLength, maxLength });

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64URL = `${ALNUM}_-`;
const DIGITS = '0123456789';

/** Prose around a secret, as log lines have it: words, punctuation, other numbers. */
const prose = fc.string({ maxLength: 40 }).map((s) => s.replace(/[A-Za-z0-9_@.+%'-]+$/, ''));
const proseAfter = fc.string({ maxLength: 40 }).map((s) => s.replace(/^[A-Za-z0-9_@.+%'-]+/, ''));

/** Where a secret sits in a log line: a header, a query string, JSON, an error message. */
const placements: readonly ((secret: string) => string)[] = [
  (s) => `Authorization: ${s}`,
  (s) => `Authorization: Bearer ${s}`,
  (s) => `GET https://api.example.com/v2/bookings?apiKey=${s}&take=250 -> 401`,
  (s) => `next_page https://api.example.com/x?page_token=${s}`,
  (s) => `{"Function":"GetContacts","key":"${s}","Parameters":{}}`,
  (s) => `request failed: invalid key '${s}'`,
  (s) => `PRAGMA key = "x'${s}'"`,
  (s) => `${s}`,
];

const placed = (secret: fc.Arbitrary<string>) =>
  fc.tuple(secret, fc.constantFrom(...placements), prose, proseAfter).map(([s, place, a, b]) => ({
    secret: s,
    line: `${a} ${place(s)} ${b}`,
  }));

function assertGone(arbitrary: fc.Arbitrary<{ secret: string; line: string }>) {
  fc.assert(
    fc.property(arbitrary, ({ secret, line }) => {
      const out = redact(line);
      expect(out.toLowerCase()).not.toContain(secret.toLowerCase());
    }),
    { numRuns: 400 },
  );
}

describe('redact', () => {
  it('removes every email address, wherever it sits in a line', () => {
    assertGone(placed(fc.emailAddress()));
  });

  it('leaves no address of the example domains in any mixed-case spelling', () => {
    const email = fc
      .tuple(run(`${ALNUM}._+'-`, 1, 20), run('abcdefghijklmnopqrstuvwxyz', 1, 12))
      .map(([local, host]) => `${local}@${host}.example`)
      .chain((e) =>
        fc.array(fc.boolean(), { minLength: e.length, maxLength: e.length }).map((flags) =>
          e
            .split('')
            .map((c, i) => (flags[i] ? c.toUpperCase() : c))
            .join(''),
        ),
      );
    assertGone(placed(email));
  });

  it('removes Cal.com keys (cal_ and cal_live_)', () => {
    assertGone(
      placed(
        fc
          .tuple(fc.constantFrom('cal_', 'cal_live_'), run(ALNUM, 8, 64))
          .map(([prefix, body]) => prefix + body),
      ),
    );
  });

  it('removes Bearer tokens of 8 characters or more', () => {
    const token = run(`${ALNUM}._~+/=-`, 8, 80);
    fc.assert(
      fc.property(
        token,
        fc.constantFrom('Bearer', 'bearer', 'BEARER'),
        prose,
        proseAfter,
        (t, word, a, b) => {
          const out = redact(`${a} Authorization: ${word} ${t} ${b}`);
          expect(out).not.toContain(t);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('removes JWT-shaped tokens (Calendly PATs, TidyCal tokens)', () => {
    assertGone(
      placed(
        fc
          .tuple(run(BASE64URL, 10, 120), run(BASE64URL, 10, 300), run(BASE64URL, 0, 90))
          .map(([header, payload, signature]) =>
            signature ? `eyJ${header}.${payload}.${signature}` : `eyJ${header}.${payload}`,
          ),
      ),
    );
  });

  it('removes LACRM-shaped keys (<digits>-<31 digits>-<alphanumerics>)', () => {
    assertGone(
      placed(
        fc
          .tuple(run(DIGITS, 1, 10), run(DIGITS, 20, 40), run(ALNUM, 20, 60))
          .map(([a, b, c]) => `${a}-${b}-${c}`),
      ),
    );
  });

  it('removes long hex (the DB key, signing secrets) and long opaque tokens', () => {
    assertGone(placed(run('0123456789abcdefABCDEF', 40, 128)));
    assertGone(placed(run(BASE64URL, 41, 128)));
  });

  it('removes the demo simulators’ own keys', async () => {
    const { startDemoWorld } = await import('../../src/main/demo/start-world');
    const world = await startDemoWorld({ now: new Date() });
    try {
      for (const [name, key] of Object.entries(world.keys)) {
        for (const place of placements) {
          const line = `sync.${name}: ${place(key)}`;
          expect(redact(line), `${name} in "${place('KEY')}"`).not.toContain(key);
        }
      }
    } finally {
      await world.close();
    }
  });

  it('is applied to every line a logger writes, scope and message alike', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line), 'debug');
    fc.assert(
      fc.property(fc.emailAddress(), run(BASE64URL, 41, 80), (email, token) => {
        lines.length = 0;
        const log = createLogger(`sync.${email}`);
        log.debug(`GET /x?token=${token} for ${email}`);
        log.error(`failed for ${email}`);
        expect(lines).toHaveLength(2);
        for (const line of lines) {
          expect(line).not.toContain(email);
          expect(line).not.toContain(token);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the byte scanner used for the data folder', () => {
  it('finds needles as UTF-8, UTF-16LE and raw bytes, in any ASCII case, and only those', () => {
    const dir = tempDir('cadence-scan-');
    const key = 'ab'.repeat(32);
    writeFileSync(
      join(dir, 'a.bin'),
      Buffer.concat([Buffer.alloc(100), Buffer.from('x JANE.Doe@Example.com y')]),
    );
    writeFileSync(join(dir, 'b.bin'), Buffer.from('…Robert Quillfeather…', 'utf16le'));
    writeFileSync(
      join(dir, 'c.bin'),
      Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(key, 'hex')]),
    );
    writeFileSync(join(dir, 'd.bin'), Buffer.from('jane.doe@example.co robert quill'));
    const report = scanFolder(dir, [
      { kind: 'email', label: 'email #0', value: 'jane.doe@example.com' },
      { kind: 'name', label: 'name #0', value: 'Robert Quillfeather' },
      ...secretNeedles('db key', [key]),
    ]);
    expect(report.files.sort()).toEqual(['a.bin', 'b.bin', 'c.bin', 'd.bin']);
    expect(report.findings.map((f) => [f.file, f.label, f.encoding])).toEqual([
      ['a.bin', 'email #0', 'utf8'],
      ['b.bin', 'name #0', 'utf16le'],
      ['c.bin', 'db key #0 (raw bytes)', 'raw'],
    ]);
    expect(report.findings[0]!.offset).toBe(102);
  });
});
