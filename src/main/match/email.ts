// Email address normalization for matching. An address is compared by a key: trimmed and
// lower-cased everywhere; for Gmail (gmail.com and its old twin googlemail.com) also without dots
// and +tags, because Gmail delivers those variants to the same mailbox. Elsewhere a +tag may or
// may not be significant (some providers ignore it, some treat it as a different mailbox), so it
// stays in the key and is only reported, for the matcher to use as a suggestion signal.

import { isAscii } from './names';

export type NormalizedEmail = Readonly<{
  /** The comparison key: the address as the mailbox provider delivers it. */
  key: string;
  /** The +tag of the local part ("advisor" in jane+advisor@x), if there was one. */
  plusTag: string | null;
  /** The key without its +tag; equal to `key` when there is no tag (and always for Gmail). */
  baseKey: string;
  /** Local part of `key`. */
  local: string;
  /**
   * The local part as written (lower-cased, without its +tag), before Gmail's dots are folded:
   * where a name can be read ("mary.ann.jones", "noahjones.home"). Equal to `local` elsewhere
   * when there is no tag.
   */
  writtenLocal: string;
  /** Domain of `key` (googlemail.com is reported as gmail.com). */
  domain: string;
}>;

const GMAIL_DOMAINS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

// dot-atom local part (RFC 5322) plus letters/digits of any script (RFC 6531 addresses).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const ALL_DIGITS = /^\d+$/;
// The same rules for plain ASCII (nearly every address), checked with a character table: the
// Unicode classes above cost microseconds per address, and every attendee is normalized.
const LOCAL_ATOM_CHARS = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-") {
  LOCAL_ATOM_CHARS[char.charCodeAt(0)] = 1;
}
const DOT = 46;
const HYPHEN = 45;

/** Dot-atom check of a lower-cased ASCII local part: atoms of allowed characters joined by dots. */
function isAsciiLocalPart(local: string): boolean {
  let previousWasDot = true;
  for (let i = 0; i < local.length; i += 1) {
    const code = local.charCodeAt(i);
    if (code === DOT) {
      if (previousWasDot) return false;
      previousWasDot = true;
    } else if (LOCAL_ATOM_CHARS[code] === 1) {
      previousWasDot = false;
    } else {
      return false;
    }
  }
  return !previousWasDot;
}

/** Labels of [a-z0-9-], 1..63 long, not starting or ending with a hyphen; at least two labels. */
function isAsciiDomain(domain: string): boolean {
  let labelLength = 0;
  let labels = 1;
  let previous = DOT;
  for (let i = 0; i < domain.length; i += 1) {
    const code = domain.charCodeAt(i);
    if (code === DOT) {
      if (labelLength === 0 || previous === HYPHEN) return false;
      labels += 1;
      labelLength = 0;
    } else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === HYPHEN) {
      if (labelLength === 0 && code === HYPHEN) return false;
      labelLength += 1;
      if (labelLength > 63) return false;
    } else {
      return false;
    }
    previous = code;
  }
  return labels >= 2 && labelLength > 0 && previous !== HYPHEN;
}

/** Whether the last label of a (checked, non-empty) ASCII domain is all digits: an IP, not a name. */
function lastLabelIsDigits(domain: string): boolean {
  for (let i = domain.length - 1; i >= 0; i -= 1) {
    const code = domain.charCodeAt(i);
    if (code === DOT) return i < domain.length - 1;
    if (code < 48 || code > 57) return false;
  }
  return domain.length > 0;
}

/**
 * Normalizes an address for comparison, or returns null when it is not a usable address
 * (empty, no @, quoted or malformed local part, a domain without a dot, over-long).
 */
export function normalizeEmail(raw: string): NormalizedEmail | null {
  const trimmed = raw.trim();
  const ascii = isAscii(trimmed);
  const text = (ascii ? trimmed : trimmed.normalize('NFC')).toLowerCase();
  if (text.length === 0 || text.length > 254) return null;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  const rawLocal = text.slice(0, at);
  let domain = text.slice(at + 1);
  if (rawLocal.length > 64) return null;
  if (ascii) {
    if (!isAsciiLocalPart(rawLocal) || !isAsciiDomain(domain)) return null;
  } else {
    if (!LOCAL_PART.test(rawLocal)) return null;
    const labels = domain.split('.');
    if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  }
  if (
    ascii ? lastLabelIsDigits(domain) : ALL_DIGITS.test(domain.slice(domain.lastIndexOf('.') + 1))
  )
    return null;

  const plusAt = rawLocal.indexOf('+');
  const hasTag = plusAt > 0;
  const plusTag = hasTag ? rawLocal.slice(plusAt + 1) : null;
  const untagged = hasTag ? rawLocal.slice(0, plusAt) : rawLocal;

  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    const local = untagged.replaceAll('.', '');
    if (local.length === 0) return null;
    const key = `${local}@${domain}`;
    return { key, plusTag, baseKey: key, local, writtenLocal: untagged, domain };
  }
  return {
    key: text,
    plusTag,
    baseKey: hasTag ? `${untagged}@${domain}` : text,
    local: rawLocal,
    writtenLocal: untagged,
    domain,
  };
}

// Consumer mailbox providers: a shared domain here says nothing about an employer.
const PERSONAL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'yahoo.com',
  'ymail.com',
  'rocketmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'fastmail.com',
  'gmx.com',
  'gmx.net',
  'mail.com',
  'zoho.com',
  'yandex.com',
  'hey.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'bellsouth.net',
  'cox.net',
  'charter.net',
  'earthlink.net',
  'optonline.net',
  'shaw.ca',
  'rogers.com',
  'sympatico.ca',
  'btinternet.com',
  // US regional and legacy providers: many clients of one advisor can share one of these.
  'frontier.com',
  'frontiernet.net',
  'windstream.net',
  'centurylink.net',
  'q.com',
  'embarqmail.com',
  'roadrunner.com',
  'rr.com',
  'twc.com',
  'optimum.net',
  'suddenlink.net',
  'mediacombb.net',
  'juno.com',
  'netzero.net',
  'aim.com',
  'duck.com',
  'yahoo.co.uk',
  'hotmail.co.uk',
  'googlemail.com',
]);

/** Whether a domain is a consumer mailbox provider rather than someone's employer. */
export function isPersonalDomain(domain: string, extra?: ReadonlySet<string>): boolean {
  return PERSONAL_DOMAINS.has(domain) || (extra?.has(domain) ?? false);
}

// Role mailboxes name a function, not a person; they must not act as a person's "mailbox name".
const ROLE_MAILBOXES: ReadonlySet<string> = new Set([
  'info',
  'admin',
  'office',
  'contact',
  'hello',
  'team',
  'support',
  'mail',
  'email',
  'sales',
  'billing',
  'accounts',
  'accounting',
  'noreply',
  'reception',
  'frontdesk',
  'scheduling',
  'calendar',
  'family',
  'home',
  'inbox',
  'assistant',
]);

/** Whether a local part is a role address (info@, office@…) rather than a person's. */
export function isRoleMailbox(local: string): boolean {
  return ROLE_MAILBOXES.has(local.replace(/[^a-z]/g, ''));
}
