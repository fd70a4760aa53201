// Webhook signature checks: the documented schemes accept their own signatures and nothing else.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCalendlySignatureHeader,
  signCalcom,
  signCalendly,
  verifyCalcomSignature,
  verifyCalendlySignature,
} from './signatures';

const BODY = Buffer.from(
  JSON.stringify({
    triggerEvent: 'BOOKING_CREATED',
    createdAt: '2026-11-25T15:00:00.000Z',
    payload: { uid: 'bk_1', attendees: [{ email: 'pat@example.com' }] },
  }),
);
const SECRET = 'whsec-test-0123456789';
const KEY = 'calendly-signing-key-test';
const NOW_MS = Date.parse('2026-11-25T15:00:00Z');
const NOW_S = NOW_MS / 1000;

function flipOneByte(body: Buffer, at: number): Buffer {
  const copy = Buffer.from(body);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

describe('Cal.com signatures', () => {
  it('signs as documented: lowercase hex HMAC-SHA256 of the raw body', () => {
    const expected = createHmac('sha256', SECRET).update(BODY).digest('hex');
    expect(signCalcom(BODY, SECRET)).toBe(expected);
    expect(signCalcom(BODY.toString('utf8'), SECRET)).toBe(expected);
  });

  it('accepts a valid signature, with surrounding whitespace', () => {
    const header = signCalcom(BODY, SECRET);
    expect(verifyCalcomSignature(BODY, header, SECRET)).toEqual({ ok: true });
    expect(verifyCalcomSignature(BODY, ` ${header}\t`, SECRET)).toEqual({ ok: true });
  });

  it('accepts uppercase hex (the decoded bytes are compared; case carries no information)', () => {
    const header = signCalcom(BODY, SECRET).toUpperCase();
    expect(verifyCalcomSignature(BODY, header, SECRET)).toEqual({ ok: true });
  });

  it('rejects a body changed by one byte anywhere', () => {
    const header = signCalcom(BODY, SECRET);
    for (const at of [0, Math.floor(BODY.length / 2), BODY.length - 1]) {
      const result = verifyCalcomSignature(flipOneByte(BODY, at), header, SECRET);
      expect(result).toMatchObject({ ok: false, reason: 'mismatch' });
    }
    const longer = Buffer.concat([BODY, Buffer.from(' ')]);
    expect(verifyCalcomSignature(longer, header, SECRET)).toMatchObject({ reason: 'mismatch' });
  });

  it('rejects the wrong secret', () => {
    const header = signCalcom(BODY, 'another-secret');
    expect(verifyCalcomSignature(BODY, header, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a missing or blank header', () => {
    for (const header of [undefined, '', '   ']) {
      expect(verifyCalcomSignature(BODY, header, SECRET)).toMatchObject({
        ok: false,
        reason: 'missing_header',
      });
    }
  });

  it('rejects the literal no-secret-provided, even when our secret is that string', () => {
    expect(verifyCalcomSignature(BODY, 'no-secret-provided', SECRET)).toMatchObject({
      ok: false,
      reason: 'sender_has_no_secret',
    });
    expect(verifyCalcomSignature(BODY, 'no-secret-provided', 'no-secret-provided')).toMatchObject({
      ok: false,
    });
  });

  it('rejects when no secret is configured, even for a signature made with an empty key', () => {
    const header = createHmac('sha256', '').update(BODY).digest('hex');
    expect(verifyCalcomSignature(BODY, header, '')).toMatchObject({
      ok: false,
      reason: 'no_secret_configured',
    });
  });

  it('rejects garbage without throwing', () => {
    const valid = signCalcom(BODY, SECRET);
    const garbage = [
      'sha256=' + valid,
      valid.slice(0, 63),
      valid + '0',
      valid.slice(0, 62) + 'zz',
      valid.slice(0, 32) + ' ' + valid.slice(32),
      'x'.repeat(5000),
      '\u0000'.repeat(64),
      'é'.repeat(32),
    ];
    for (const header of garbage) {
      const result = verifyCalcomSignature(BODY, header, SECRET);
      expect(result.ok, header.slice(0, 20)).toBe(false);
    }
    expect(verifyCalcomSignature('not a buffer' as unknown as Buffer, valid, SECRET)).toMatchObject(
      { ok: false },
    );
  });

  it('accepts a replayed delivery: deduplication is the receiver’s job', () => {
    const header = signCalcom(BODY, SECRET);
    expect(verifyCalcomSignature(BODY, header, SECRET).ok).toBe(true);
    expect(verifyCalcomSignature(BODY, header, SECRET).ok).toBe(true);
  });

  it('accepts its own signatures for any body and secret, and rejects any single-bit change', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
        fc.nat(),
        (bytes, secret, position) => {
          const body = Buffer.from(bytes);
          const header = signCalcom(body, secret);
          expect(verifyCalcomSignature(body, header, secret).ok).toBe(true);
          const changed = flipOneByte(body, position % body.length);
          expect(verifyCalcomSignature(changed, header, secret).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts none of 10,000 random signatures for a fixed body and secret', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[0-9a-f]{64}$/),
          fc.stringMatching(/^[0-9A-Fa-f]{64}$/),
          fc.string({ maxLength: 100 }),
          fc.string({ maxLength: 80, unit: 'binary' }),
        ),
        (header) => {
          const result = verifyCalcomSignature(BODY, header, SECRET);
          if (result.ok) accepted += 1;
          return !result.ok;
        },
      ),
      { numRuns: 10_000 },
    );
    expect(accepted).toBe(0);
  });
});

describe('Calendly signatures', () => {
  it('signs as documented: t=<seconds>,v1=hex(HMAC-SHA256(key, t + "." + body))', () => {
    const expected = createHmac('sha256', KEY).update(`${NOW_S}.`).update(BODY).digest('hex');
    expect(signCalendly(BODY, KEY, NOW_S)).toBe(`t=${NOW_S},v1=${expected}`);
  });

  it('accepts a valid signature, tolerating whitespace', () => {
    const header = signCalendly(BODY, KEY, NOW_S);
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS)).toEqual({ ok: true });
    const spaced = header.replace(',', ' , ').replace('=', ' = ');
    expect(verifyCalendlySignature(BODY, `  ${spaced} `, KEY, NOW_MS)).toEqual({ ok: true });
  });

  it('accepts uppercase hex, as for Cal.com', () => {
    const [t, v1] = signCalendly(BODY, KEY, NOW_S).split(',');
    const header = `${t},v1=${v1!.slice(3).toUpperCase()}`;
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS)).toEqual({ ok: true });
  });

  it('accepts when any one of several v1 values matches (key rotation), in any position', () => {
    const good = signCalendly(BODY, KEY, NOW_S).split(',')[1]!;
    const other = signCalendly(BODY, 'old-key', NOW_S).split(',')[1]!;
    expect(verifyCalendlySignature(BODY, `t=${NOW_S},${other},${good}`, KEY, NOW_MS).ok).toBe(true);
    expect(verifyCalendlySignature(BODY, `${good},t=${NOW_S},${other}`, KEY, NOW_MS).ok).toBe(true);
    expect(verifyCalendlySignature(BODY, `t=${NOW_S},${other}`, KEY, NOW_MS)).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('rejects a body changed by one byte, the wrong key and a moved timestamp', () => {
    const header = signCalendly(BODY, KEY, NOW_S);
    expect(verifyCalendlySignature(flipOneByte(BODY, 10), header, KEY, NOW_MS)).toMatchObject({
      reason: 'mismatch',
    });
    expect(verifyCalendlySignature(BODY, header, 'wrong-key', NOW_MS)).toMatchObject({
      reason: 'mismatch',
    });
    const moved = header.replace(`t=${NOW_S}`, `t=${NOW_S - 1}`);
    expect(verifyCalendlySignature(BODY, moved, KEY, NOW_MS)).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('rejects a missing header and a missing key', () => {
    expect(verifyCalendlySignature(BODY, undefined, KEY, NOW_MS)).toMatchObject({
      reason: 'missing_header',
    });
    expect(verifyCalendlySignature(BODY, ' ', KEY, NOW_MS)).toMatchObject({
      reason: 'missing_header',
    });
    const header = signCalendly(BODY, '', NOW_S);
    expect(verifyCalendlySignature(BODY, header, '', NOW_MS)).toMatchObject({
      reason: 'no_secret_configured',
    });
  });

  it('parses strictly and names what is wrong', () => {
    const v1 = signCalendly(BODY, KEY, NOW_S).split(',')[1]!;
    const cases: Array<[string, RegExp]> = [
      [`v1=${'a'.repeat(64)}`, /t is missing/],
      [`t=${NOW_S}`, /v1 is missing/],
      [`t=${NOW_S},t=${NOW_S},${v1}`, /more than once/],
      [`t=${NOW_S}000,${v1}`, /unix seconds/],
      [`t=-5,${v1}`, /unix seconds/],
      [`t=1.5,${v1}`, /unix seconds/],
      [`t=${NOW_S},${v1},`, /empty/],
      [`t=${NOW_S},,${v1}`, /empty/],
      [`t=${NOW_S};${v1}`, /unix seconds/],
      [`t=${NOW_S},v0=${'a'.repeat(64)},${v1}`, /unknown key "v0"/],
      [`t=${NOW_S},v1=${'a'.repeat(63)}`, /not 64 hex/],
      [`t=${NOW_S},v1=${'g'.repeat(64)}`, /not 64 hex/],
      [`t=${NOW_S},v1`, /not key=value/],
      [`=${NOW_S},${v1}`, /not key=value/],
      [`t=${NOW_S},${Array.from({ length: 9 }, () => v1).join(',')}`, /more than 8/],
    ];
    for (const [header, message] of cases) {
      const parsed = parseCalendlySignatureHeader(header);
      expect(typeof parsed, header).toBe('string');
      expect(parsed, header).toMatch(message);
      expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS)).toMatchObject({
        ok: false,
        reason: 'malformed_header',
      });
    }
  });

  it('rejects stale timestamps beyond the tolerance and accepts the boundary', () => {
    const tolerance = 180;
    const atEdge = signCalendly(BODY, KEY, NOW_S - tolerance);
    expect(verifyCalendlySignature(BODY, atEdge, KEY, NOW_MS, tolerance).ok).toBe(true);
    const stale = signCalendly(BODY, KEY, NOW_S - tolerance - 1);
    expect(verifyCalendlySignature(BODY, stale, KEY, NOW_MS, tolerance)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    // The default tolerance is three minutes.
    expect(verifyCalendlySignature(BODY, stale, KEY, NOW_MS)).toMatchObject({ reason: 'stale' });
    // A longer tolerance accepts the same delivery.
    expect(verifyCalendlySignature(BODY, stale, KEY, NOW_MS, 300).ok).toBe(true);
  });

  it('rejects timestamps further in the future than the tolerance (clock skew is allowed)', () => {
    const skewed = signCalendly(BODY, KEY, NOW_S + 60);
    expect(verifyCalendlySignature(BODY, skewed, KEY, NOW_MS).ok).toBe(true);
    const future = signCalendly(BODY, KEY, NOW_S + 181);
    expect(verifyCalendlySignature(BODY, future, KEY, NOW_MS)).toMatchObject({
      ok: false,
      reason: 'future',
    });
  });

  it('rejects an unusable clock or tolerance instead of accepting everything', () => {
    const header = signCalendly(BODY, KEY, NOW_S);
    expect(verifyCalendlySignature(BODY, header, KEY, Number.NaN).ok).toBe(false);
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS, -1).ok).toBe(false);
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS, Number.NaN).ok).toBe(false);
  });

  it('accepts a replayed but fresh delivery: deduplication is the receiver’s job', () => {
    const header = signCalendly(BODY, KEY, NOW_S - 30);
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS).ok).toBe(true);
    expect(verifyCalendlySignature(BODY, header, KEY, NOW_MS + 1000).ok).toBe(true);
  });

  it('round-trips any body, key and time, and rejects any single-bit change', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat(),
        (bytes, key, t, position) => {
          const body = Buffer.from(bytes);
          const header = signCalendly(body, key, t);
          expect(verifyCalendlySignature(body, header, key, t * 1000).ok).toBe(true);
          const changed = flipOneByte(body, position % body.length);
          expect(verifyCalendlySignature(changed, header, key, t * 1000).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts none of 10,000 random signatures for a fixed body, key and fresh timestamp', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[0-9a-f]{64}$/).map((v1) => `t=${NOW_S},v1=${v1}`),
          fc
            .array(fc.stringMatching(/^[0-9A-Fa-f]{64}$/), { minLength: 1, maxLength: 8 })
            .map((v1s) => `t=${NOW_S},${v1s.map((v) => `v1=${v}`).join(',')}`),
          fc.string({ maxLength: 120 }),
          fc.string({ maxLength: 120 }).map((junk) => `t=${NOW_S},v1=${junk}`),
        ),
        (header) => {
          const result = verifyCalendlySignature(BODY, header, KEY, NOW_MS);
          if (result.ok) accepted += 1;
          return !result.ok;
        },
      ),
      { numRuns: 10_000 },
    );
    expect(accepted).toBe(0);
  });
});
