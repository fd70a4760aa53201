// Support for the security hardening tests: a byte scanner that looks for many secrets and pieces
// of PII at once in every file under a folder (UTF-8 and UTF-16LE, ASCII case ignored), and the
// lists of what to look for, taken from the practice generator's truth; and the cleanup of the
// keychain entries a test's app host made.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Profile } from '../../src/main/core/profile';
import { dbKeyAccount } from '../../src/main/core/store';
import type { LacrmContact } from '../../src/main/crm/lacrm/types';
import type { Practice } from '../../src/main/demo/practice';
import type { AppHost } from '../../src/main/host';
import type { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { secretNames } from '../../src/shared/domain';

/** Something that must not be found, with a label that says what it is (never the value itself). */
export type Needle = Readonly<{ kind: string; label: string; value: string | Buffer }>;

export type Finding = Readonly<{
  file: string;
  kind: string;
  label: string;
  encoding: 'utf8' | 'utf16le' | 'raw';
  offset: number;
}>;

export type ScanReport = Readonly<{ files: string[]; bytes: number; findings: Finding[] }>;

/** Names shorter than this are skipped: "Al Li" would turn up by accident in random bytes. */
export const MIN_NAME_LENGTH = 6;

function lowerAscii(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  return out;
}

type Pattern = Readonly<{ needle: Needle; bytes: Buffer; encoding: Finding['encoding'] }>;

function key4(bytes: Buffer, at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}

/**
 * Finds every needle in every file under `dir` (recursively, as bytes) in one pass per file:
 * patterns are indexed by their first four bytes, so the cost does not grow with the number of
 * needles. Strings are looked for as UTF-8 and UTF-16LE; Buffers as they are. ASCII case is
 * ignored on both sides. `skip` says which files (relative paths) are not Cadence's own.
 */
export function scanFolder(
  dir: string,
  needles: readonly Needle[],
  skip: (relativePath: string) => boolean = () => false,
): ScanReport {
  const index = new Map<number, Pattern[]>();
  const add = (pattern: Pattern) => {
    if (pattern.bytes.length < 4) throw new Error(`needle ${pattern.needle.label} is too short`);
    const key = key4(pattern.bytes, 0);
    const list = index.get(key);
    if (list) list.push(pattern);
    else index.set(key, [pattern]);
  };
  for (const needle of needles) {
    if (typeof needle.value === 'string') {
      add({ needle, bytes: lowerAscii(Buffer.from(needle.value, 'utf8')), encoding: 'utf8' });
      add({ needle, bytes: lowerAscii(Buffer.from(needle.value, 'utf16le')), encoding: 'utf16le' });
    } else {
      add({ needle, bytes: lowerAscii(needle.value), encoding: 'raw' });
    }
  }

  const files = listFilesRecursively(dir)
    .map((path) => relative(dir, path).split(sep).join('/'))
    .filter((path) => !skip(path));
  const findings: Finding[] = [];
  let total = 0;
  for (const file of files) {
    const bytes = lowerAscii(readFileSync(join(dir, file)));
    total += bytes.length;
    const seen = new Set<Pattern>();
    for (let at = 0; at + 4 <= bytes.length; at++) {
      const candidates = index.get(key4(bytes, at));
      if (!candidates) continue;
      for (const pattern of candidates) {
        if (seen.has(pattern) || at + pattern.bytes.length > bytes.length) continue;
        if (bytes.compare(pattern.bytes, 0, pattern.bytes.length, at, at + pattern.bytes.length))
          continue;
        seen.add(pattern);
        findings.push({
          file,
          kind: pattern.needle.kind,
          label: pattern.needle.label,
          encoding: pattern.encoding,
          offset: at,
        });
      }
    }
  }
  return { files, bytes: total, findings };
}

export function listFilesRecursively(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFilesRecursively(path));
    else out.push(path);
  }
  return out;
}

function contactName(contact: LacrmContact): string | null {
  if (contact.IsCompany) return null;
  if (typeof contact.Name === 'string') return contact.Name;
  return `${contact.Name.FirstName} ${contact.Name.LastName}`;
}

/** Labels say which kind and which entry, so a failure can be read without printing PII. */
function labelled(kind: string, values: Iterable<string>, minLength: number): Needle[] {
  const unique = [...new Set([...values].map((v) => v.trim().replace(/\s+/g, ' ')))].filter(
    (v) => v.length >= minLength,
  );
  return unique.map((value, i) => ({ kind, label: `${kind} #${i}`, value }));
}

/** Every attendee and contact email, and every full name of 6+ characters, in the practice. */
export function practicePii(practice: Practice): Needle[] {
  const emails: string[] = [];
  const names: string[] = [];
  for (const attendee of practice.truth.attendees) {
    emails.push(attendee.email);
    if (attendee.name) names.push(attendee.name);
  }
  for (const contact of practice.lacrm.contacts) {
    for (const email of contact.Email) emails.push(email.Text);
    const name = contactName(contact);
    if (name) names.push(name);
  }
  return [...labelled('email', emails, 6), ...labelled('name', names, MIN_NAME_LENGTH)];
}

/** A secret as its text and, for the DB key, its 32 raw bytes too. */
export function secretNeedles(kind: string, values: readonly string[]): Needle[] {
  const out: Needle[] = [];
  values.forEach((value, i) => {
    out.push({ kind, label: `${kind} #${i}`, value });
    if (/^[0-9a-f]{64}$/i.test(value))
      out.push({ kind, label: `${kind} #${i} (raw bytes)`, value: Buffer.from(value, 'hex') });
  });
  return out;
}

/** Readable summary of findings for an assertion message (labels and files, never values). */
export function describeFindings(findings: readonly Finding[]): string {
  return findings
    .slice(0, 40)
    .map((f) => `${f.file} @${f.offset}: ${f.label} (${f.encoding})`)
    .join('\n');
}

/**
 * Closes the host and deletes, from the real keychain, every secret and database key of the
 * profiles it used (callers push the demo profile to `profiles` once it exists).
 */
export function closeAndForget(
  host: AppHost,
  secrets: KeychainSecretStore,
  profiles: readonly Profile[],
): () => Promise<void> {
  return async () => {
    await host.close();
    for (const profile of profiles) {
      for (const name of secretNames) await secrets.delete(`${profile.profileId}:${name}`);
      await secrets.delete(dbKeyAccount(profile));
    }
  };
}
