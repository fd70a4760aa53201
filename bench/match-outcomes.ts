// What the matching engine decides, as a digest (not a timing): every outcome of bench/match.ts's
// 100,000 attendees, and of 60,000 attendees matched in bookings of three with confirmed and
// ignored addresses, the advisor's own address on some bookings and earlier confirmations on
// others. An engine change meant only to make matching faster must leave both digests as they
// were; run this before and after it (`--out` keeps the lines, for a diff when they differ).
//
//   npx tsx bench/match-outcomes.ts [--out FILE]
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { MatchOutcome } from '../src/main/match';
import {
  buildContactIndex,
  localityOrder,
  matchAttendee,
  matchBookingAttendees,
  normalizeEmail,
} from '../src/main/match';
import { generateBenchData } from './match';

function parseOut(argv: readonly string[]): string | null {
  const at = argv.indexOf('--out');
  if (at === -1) return null;
  const file = argv[at + 1];
  if (file === undefined || file.startsWith('--')) {
    throw new Error('bench/match-outcomes: --out needs a file name');
  }
  return file;
}

/** One outcome as a line: state, via, contact, score, reason, then each candidate. */
function line(outcome: MatchOutcome | null): string {
  if (outcome === null) return 'advisor';
  return [
    outcome.state,
    outcome.via,
    outcome.contactId,
    outcome.score,
    outcome.reason,
    outcome.candidates.map((c) => `${c.contactId}:${c.score}:${c.reason}`).join('|'),
  ].join('\t');
}

/** bench/match.ts's data, matched one by one in locality order as the bench does. */
function singleAttendees(): string[] {
  const data = generateBenchData({ contacts: 20_000, attendees: 100_000, seed: 7 });
  const index = buildContactIndex(data.contacts, { personalEmailDomains: data.personalDomains });
  const noAliases: ReadonlyMap<string, string | null> = new Map();
  const lines: string[] = new Array(data.attendees.length);
  for (const i of localityOrder(data.attendees)) {
    lines[i] = `${i}\t${line(matchAttendee(index, data.attendees[i]!, noAliases))}`;
  }
  return lines;
}

/** Bookings of three attendees, with the decisions and context a practice has. */
function bookingsWithContext(): string[] {
  const data = generateBenchData({ contacts: 20_000, attendees: 60_000, seed: 11 });
  const index = buildContactIndex(data.contacts, { personalEmailDomains: data.personalDomains });
  // Every 53rd address decided: mostly confirmed for some contact, every other one ignored.
  const aliases = new Map<string, string | null>();
  data.attendees.forEach((attendee, i) => {
    const key =
      i % 53 === 0 && attendee.email !== null ? normalizeEmail(attendee.email)?.key : null;
    if (key === null || key === undefined) return;
    aliases.set(
      key,
      i % 106 === 0 ? null : data.contacts[(i * 31) % data.contacts.length]!.contactId,
    );
  });
  const lines: string[] = [];
  for (let i = 0; i + 2 < data.attendees.length; i += 3) {
    const booking = data.attendees.slice(i, i + 3);
    const advisor = booking[2]!.email;
    const results = matchBookingAttendees(index, booking, aliases, {
      // Every third booking has the third attendee's address as the advisor's own.
      advisorEmails: i % 9 === 0 && advisor !== null ? [advisor] : [],
      // Names of some lengths were confirmed for a contact before, once to three times.
      priorContactIdsFor: (attendee) =>
        (attendee.name?.length ?? 0) % 5 === 0
          ? new Map([[data.contacts[(i * 7) % data.contacts.length]!.contactId, 1 + (i % 3)]])
          : undefined,
    });
    for (const result of results) lines.push(line(result.outcome));
  }
  return lines;
}

function digest(lines: readonly string[]): string {
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function main(): void {
  const out = parseOut(process.argv.slice(2));
  const single = singleAttendees();
  const booked = bookingsWithContext();
  console.log(
    `attendees one by one   ${single.length.toLocaleString('en-US').padStart(7)}  sha256 ${digest(single)}`,
  );
  console.log(
    `attendees in bookings  ${booked.length.toLocaleString('en-US').padStart(7)}  sha256 ${digest(booked)}`,
  );
  if (out !== null) {
    writeFileSync(out, [...single, '--- in bookings', ...booked].join('\n') + '\n');
    console.log(`lines written to ${out}`);
  }
}

main();
