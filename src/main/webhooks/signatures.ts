// Webhook signature checks for Cal.com (X-Cal-Signature-256) and Calendly
// (Calendly-Webhook-Signature), plus the matching signers the simulators and tests use.
//
// Both are HMAC-SHA256 over the raw request bytes, never re-serialised JSON. The checks never throw
// on odd input: a receiver turns any rejection into a 401 without a stack trace. Comparisons run
// over decoded digest bytes of equal length with timingSafeEqual, so neither the position of the
// first wrong byte nor the case of the hex digits can be learned from timing.
//
// Hex case: Cal.com and Calendly both send lowercase hex. Uppercase hex is accepted too, because
// the check compares the decoded 32 bytes; the case of a hex digit carries no secret information,
// and rejecting it would only break a proxy that normalises header values.
//
// Replays: a correctly signed delivery is accepted however often it arrives. Cal.com signs no
// timestamp at all, and Calendly's timestamp only bounds the replay window; deduplicating
// deliveries is the receiver's job (trigger + uid + createdAt, or payload.uri + event).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureRejectReason =
  | 'no_secret_configured'
  | 'missing_header'
  | 'sender_has_no_secret'
  | 'malformed_header'
  | 'stale'
  | 'future'
  | 'mismatch';

export type SignatureCheck =
  { ok: true } | { ok: false; reason: SignatureRejectReason; message: string };

/** Cal.com sends this literal instead of a signature when the webhook has no secret configured. */
export const CALCOM_NO_SECRET_HEADER = 'no-secret-provided';

/** Calendly's published sample rejects deliveries signed more than three minutes ago. */
export const CALENDLY_DEFAULT_TOLERANCE_SECONDS = 180;

// Headers longer than this are not signatures; refusing them early bounds the work an attacker
// can cause per request.
const MAX_HEADER_LENGTH = 2048;
// Calendly may list several v1 values while it rotates keys; more than this is not a signature.
const MAX_V1_VALUES = 8;

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;
const DIGEST_BYTES = 32;

function reject(reason: SignatureRejectReason, message: string): SignatureCheck {
  return { ok: false, reason, message };
}

function hmacSha256(key: string, parts: readonly Buffer[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

function toBytes(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Decodes 64 hex characters to 32 bytes, or null for anything else. */
function decodeDigest(hex: string): Buffer | null {
  if (!SHA256_HEX.test(hex)) return null;
  const bytes = Buffer.from(hex, 'hex');
  return bytes.length === DIGEST_BYTES ? bytes : null;
}

function digestsEqual(expected: Buffer, candidate: Buffer): boolean {
  // Lengths are fixed by decodeDigest; the check stays so timingSafeEqual can never throw.
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}

// ---------------------------------------------------------------------------------------------
// Cal.com: X-Cal-Signature-256 = hex(HMAC_SHA256(secret, rawBody)); no timestamp, no prefix.

/** The value Cal.com puts in X-Cal-Signature-256 for `body` signed with `secret`. */
export function signCalcom(body: Buffer | string, secret: string): string {
  return hmacSha256(secret, [toBytes(body)]).toString('hex');
}

export function verifyCalcomSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): SignatureCheck {
  if (typeof secret !== 'string' || secret.length === 0) {
    return reject(
      'no_secret_configured',
      'calcom webhook: no secret is configured, so no delivery can be verified',
    );
  }
  if (typeof header !== 'string' || header.trim().length === 0) {
    return reject('missing_header', 'calcom webhook: the X-Cal-Signature-256 header is missing');
  }
  if (header.length > MAX_HEADER_LENGTH) {
    return reject('malformed_header', 'calcom webhook: the signature header is too long');
  }
  const value = header.trim();
  if (value === CALCOM_NO_SECRET_HEADER) {
    return reject(
      'sender_has_no_secret',
      'calcom webhook: the delivery is unsigned ("no-secret-provided"); set the same secret on the Cal.com webhook',
    );
  }
  const candidate = decodeDigest(value);
  if (candidate === null) {
    return reject(
      'malformed_header',
      `calcom webhook: the signature must be 64 hex characters (got ${value.length} characters)`,
    );
  }
  if (!Buffer.isBuffer(rawBody)) {
    return reject('mismatch', 'calcom webhook: the body was not read as raw bytes');
  }
  const expected = hmacSha256(secret, [rawBody]);
  if (!digestsEqual(expected, candidate)) {
    return reject('mismatch', 'calcom webhook: the signature does not match the body and secret');
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Calendly: Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex(HMAC_SHA256(key, t + "." + body))>

/** The Calendly-Webhook-Signature value for `body` signed with `signingKey` at unix second `t`. */
export function signCalendly(body: Buffer | string, signingKey: string, t: number): string {
  const timestamp = String(Math.trunc(t));
  const digest = hmacSha256(signingKey, [Buffer.from(`${timestamp}.`, 'utf8'), toBytes(body)]);
  return `t=${timestamp},v1=${digest.toString('hex')}`;
}

type ParsedCalendlyHeader = { timestamp: string; signatures: Buffer[] };

/**
 * Parses `t=…,v1=…[,v1=…]` strictly: whitespace around parts and around `=` is tolerated; empty
 * parts, unknown keys, a repeated `t`, a non-numeric `t` or a v1 that is not 64 hex characters are
 * not. Returns a message naming what was wrong.
 */
export function parseCalendlySignatureHeader(header: string): ParsedCalendlyHeader | string {
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  const parts = header.split(',');
  for (const [index, rawPart] of parts.entries()) {
    const part = rawPart.trim();
    if (part.length === 0) return `part ${index + 1} is empty`;
    const equals = part.indexOf('=');
    if (equals <= 0) return `part ${index + 1} is not key=value`;
    const key = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    switch (key) {
      case 't':
        if (timestamp !== null) return 't appears more than once';
        if (!UNIX_SECONDS.test(value)) return 't must be a whole number of unix seconds';
        timestamp = value;
        break;
      case 'v1': {
        const digest = decodeDigest(value);
        if (digest === null) return `v1 value ${signatures.length + 1} is not 64 hex characters`;
        if (signatures.length === MAX_V1_VALUES) return `more than ${MAX_V1_VALUES} v1 values`;
        signatures.push(digest);
        break;
      }
      default:
        return `unknown key "${key.slice(0, 16)}" in part ${index + 1}`;
    }
  }
  if (timestamp === null) return 't is missing';
  if (signatures.length === 0) return 'v1 is missing';
  return { timestamp, signatures };
}

export function verifyCalendlySignature(
  rawBody: Buffer,
  header: string | undefined,
  signingKey: string,
  nowMs: number,
  toleranceSeconds: number = CALENDLY_DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (typeof signingKey !== 'string' || signingKey.length === 0) {
    return reject(
      'no_secret_configured',
      'calendly webhook: no signing key is configured, so no delivery can be verified',
    );
  }
  if (typeof header !== 'string' || header.trim().length === 0) {
    return reject(
      'missing_header',
      'calendly webhook: the Calendly-Webhook-Signature header is missing',
    );
  }
  if (header.length > MAX_HEADER_LENGTH) {
    return reject('malformed_header', 'calendly webhook: the signature header is too long');
  }
  const parsed = parseCalendlySignatureHeader(header);
  if (typeof parsed === 'string') {
    return reject('malformed_header', `calendly webhook: bad signature header: ${parsed}`);
  }
  if (!Number.isFinite(nowMs) || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    return reject('stale', 'calendly webhook: no valid clock or tolerance to check the timestamp');
  }
  // The same window applies both ways: it covers clock skew between Calendly and this laptop,
  // and a timestamp further ahead than that was not produced by an honest sender.
  const ageSeconds = (nowMs - Number(parsed.timestamp) * 1000) / 1000;
  if (ageSeconds > toleranceSeconds) {
    return reject(
      'stale',
      `calendly webhook: signed ${Math.round(ageSeconds)} s ago, more than the ${toleranceSeconds} s allowed`,
    );
  }
  if (-ageSeconds > toleranceSeconds) {
    return reject(
      'future',
      `calendly webhook: signed ${Math.round(-ageSeconds)} s in the future, more than the ${toleranceSeconds} s allowed`,
    );
  }
  if (!Buffer.isBuffer(rawBody)) {
    return reject('mismatch', 'calendly webhook: the body was not read as raw bytes');
  }
  const expected = hmacSha256(signingKey, [Buffer.from(`${parsed.timestamp}.`, 'utf8'), rawBody]);
  // Compare against every v1 without stopping early, so the count of checks does not depend on
  // which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (digestsEqual(expected, candidate)) matched = true;
  }
  if (!matched) {
    return reject(
      'mismatch',
      'calendly webhook: no v1 signature matches the body, timestamp and signing key',
    );
  }
  return { ok: true };
}
