// Matching an attendee to a LACRM contact, in the order the product promises: an exact
// (normalized) email owned by exactly one contact is automatic; an address the advisor confirmed
// before is automatic; everything else is scored from names, the mailbox name, the domain and the
// booking's context and only suggested, for the advisor to confirm. Nothing fuzzy is ever
// automatic, and an address two contacts share never is either.
import type { ContactIndex, IndexedContact } from './contact-index';
import type { NormalizedEmail } from './email';
import { normalizeEmail } from './email';
import { foldText } from './names';
import type { Phrase, ScoredCandidate, ScoringContext } from './score';
import {
  buildAttendeeProfile,
  clampScore,
  collectCandidates,
  explain,
  scoreCandidate,
  scoreContact,
} from './score';
import type { AttendeeForMatching, Candidate, MatchContext, MatchOutcome } from './types';

/** At most this many candidates are returned, best first. */
export const MAX_CANDIDATES = 5;
/** A fuzzy candidate at or above this score is suggested; below it the attendee is unmatched. */
export const SUGGESTION_THRESHOLD = 0.6;
/** Candidates below this are not worth showing at all (a shared first name alone is 0.4). */
export const CANDIDATE_FLOOR = 0.45;
/** Score given to a contact whose address equals the attendee's once +tags are ignored. */
const UNTAGGED_ADDRESS_SCORE = 0.95;

const NO_CONTEXT: MatchContext = {};
const NO_POSITIONS: readonly number[] = [];
// Mailbox and domain phrases say less than "same address apart from the +tag"; drop them there.
const EMAIL_PHRASE = /^(email |same email domain|same mailbox name)/;

/**
 * Matches one attendee. `aliases` are the advisor's earlier decisions keyed by normalized email
 * (see normalizeEmail): a contactId, or null for "ignore this address".
 */
export function matchAttendee(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  aliases: ReadonlyMap<string, string | null>,
  context: MatchContext = NO_CONTEXT,
): MatchOutcome {
  return matchRead(index, attendee, readEmail(attendee), aliases, context);
}

/** An attendee's address as given (whether there was any text) and normalized. */
type ReadEmail = Readonly<{ given: boolean; email: NormalizedEmail | null }>;

function readEmail(attendee: AttendeeForMatching): ReadEmail {
  const rawEmail = attendee.email?.trim() ?? '';
  return rawEmail.length > 0
    ? { given: true, email: normalizeEmail(rawEmail) }
    : { given: false, email: null };
}

/** matchAttendee with the address already read (a booking reads each address once). */
function matchRead(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  read: ReadEmail,
  aliases: ReadonlyMap<string, string | null>,
  context: MatchContext,
): MatchOutcome {
  const email = read.email;
  const notes: string[] = [];
  if (read.given && email === null) notes.push('the email on the booking is not a valid address');
  const scoring = resolveContext(index, context);

  if (email !== null) {
    const owners = index.byEmailKey.get(email.key) ?? NO_POSITIONS;
    const aliasTarget = aliases.has(email.key) ? aliases.get(email.key) : undefined;
    const decided =
      aliasTarget === undefined
        ? undefined
        : aliasTarget === null
          ? null
          : index.byId.get(aliasTarget);

    if (owners.length === 1) {
      const owner = index.contacts[owners[0]!]!;
      if (decided === undefined || decided?.position === owner.position) {
        return autoByEmail(index, attendee, email, owner, decided !== undefined);
      }
      return conflictingDecision(index, attendee, email, owner, decided ?? null, scoring);
    }
    if (owners.length >= 2) {
      if (decided === null) return ignored();
      const entries = owners.map((position) => index.contacts[position]!);
      return sharedAddress(index, attendee, email, entries, decided, scoring);
    }
    if (decided === null) return ignored();
    if (decided !== undefined) {
      return {
        state: 'auto',
        contactId: decided.contact.contactId,
        via: 'alias',
        score: 1,
        reason: `you confirmed ${email.key} for ${decided.displayName} before`,
        candidates: [
          { contactId: decided.contact.contactId, score: 1, reason: 'confirmed by you before' },
        ],
      };
    }
    if (aliasTarget !== undefined) {
      notes.push('an earlier decision for this address points to a contact no longer in the CRM');
    }
  }
  return fuzzy(index, attendee, email, scoring, notes);
}

const NO_PRIOR: ReadonlyMap<string, number> = new Map();
const NO_SCORING_CONTEXT: ScoringContext = { coAttendees: [], priorCounts: NO_PRIOR };

function resolveContext(index: ContactIndex, context: MatchContext): ScoringContext {
  if (
    (context.coAttendeeContactIds === undefined || context.coAttendeeContactIds.length === 0) &&
    context.priorContactIds === undefined
  ) {
    return NO_SCORING_CONTEXT;
  }
  const coAttendees: IndexedContact[] = [];
  for (const contactId of context.coAttendeeContactIds ?? []) {
    const entry = index.byId.get(contactId);
    if (entry !== undefined && !coAttendees.includes(entry)) coAttendees.push(entry);
  }
  return { coAttendees, priorCounts: context.priorContactIds ?? NO_PRIOR };
}

function ignored(): MatchOutcome {
  return {
    state: 'ignored',
    contactId: null,
    via: 'alias',
    score: null,
    reason: 'you chose to ignore this address',
    candidates: [],
  };
}

function autoByEmail(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  email: NormalizedEmail,
  owner: IndexedContact,
  alsoConfirmed: boolean,
): MatchOutcome {
  const phrases = [`exact email ${email.key} on the contact`];
  if (email.domain === 'gmail.com') {
    // Say why only when the booking's spelling differs from every address on the record.
    const typed = attendee.email?.trim().toLowerCase() ?? '';
    if (!owner.contact.emails.some((stored) => stored.trim().toLowerCase() === typed)) {
      phrases.push('Gmail ignores dots and +tags');
    }
  }
  if (alsoConfirmed) phrases.push('you confirmed it before');
  if (
    attendee.name !== null &&
    attendee.name.trim().length > 0 &&
    owner.name !== null &&
    !nameMentions(attendee.name, owner)
  ) {
    const profile = buildAttendeeProfile(index, attendee.name, null);
    const byName = scoreCandidate(profile, owner, NO_SCORING_CONTEXT);
    // Still automatic (the address is the contact's), but not silently: say the name differs.
    if (profile.people.length > 0 && byName.score < 0.35) {
      phrases.push(`the booking name differs from ${owner.displayName}`);
    }
  }
  return {
    state: 'auto',
    contactId: owner.contact.contactId,
    via: 'email',
    score: 1,
    reason: phrases.join('; '),
    candidates: [{ contactId: owner.contact.contactId, score: 1, reason: phrases[0]! }],
  };
}

/** Cheap pre-check: a word of the booking name is one of the contact's names or nicknames. */
function nameMentions(name: string, owner: IndexedContact): boolean {
  for (const word of foldText(name).split(/[\s.,'"()&/-]+/)) {
    if (word.length < 2) continue;
    if (owner.givenForms.has(word) || owner.surnameForms.includes(word)) return true;
  }
  return false;
}

function conflictingDecision(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  email: NormalizedEmail,
  owner: IndexedContact,
  decided: IndexedContact | null,
  scoring: ScoringContext,
): MatchOutcome {
  const ownerCandidate: Candidate = {
    contactId: owner.contact.contactId,
    score: 0.9,
    reason: `exact email ${email.key} on the contact`,
  };
  const candidates: Candidate[] = [ownerCandidate];
  let reason: string;
  if (decided === null) {
    reason = `${email.key} is on ${owner.displayName}'s record, but you chose to ignore it before`;
  } else {
    reason = `${email.key} is on ${owner.displayName}'s record, but you confirmed it for ${decided.displayName} before`;
    candidates.push({
      contactId: decided.contact.contactId,
      score: 0.85,
      reason: 'confirmed by you for this address before',
    });
  }
  const others = fuzzyCandidates(index, attendee, email, scoring).filter(
    (scored) => !candidates.some((candidate) => candidate.contactId === scored.contactId),
  );
  return {
    state: 'suggested',
    contactId: owner.contact.contactId,
    via: 'email',
    score: ownerCandidate.score,
    reason,
    candidates: [...candidates, ...others].slice(0, MAX_CANDIDATES),
  };
}

function sharedAddress(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  email: NormalizedEmail,
  owners: readonly IndexedContact[],
  decided: IndexedContact | undefined,
  scoring: ScoringContext,
): MatchOutcome {
  const profile = buildAttendeeProfile(index, attendee.name, null);
  const sharedPhrase = `${email.key} is shared by ${owners.length} contacts`;
  const ranked = owners.map((owner) => {
    const byName = scoreCandidate(profile, owner, scoring);
    const chosenBefore = decided?.position === owner.position;
    // Among owners of one address the name (and the advisor's earlier choice) decides the order.
    const score = clampScore(
      0.6 + 0.35 * Math.min(1, byName.score / 0.9) + (chosenBefore ? 0.04 : 0),
    );
    const phrases: Phrase[] = [...byName.phrases];
    if (chosenBefore) phrases.push(() => 'you chose this contact for the address before');
    return { ...byName, score, phrases } satisfies ScoredCandidate;
  });
  rankScored(ranked);
  const candidates = ranked.map((scored) =>
    toCandidate({ ...scored, phrases: [() => sharedPhrase, ...scored.phrases] }),
  );
  if (decided !== undefined && !owners.includes(decided)) {
    candidates.push({
      contactId: decided.contact.contactId,
      score: 0.6,
      reason: 'you confirmed this address for the contact before',
    });
  }
  const top = candidates[0]!;
  return {
    state: 'suggested',
    contactId: top.contactId,
    via: 'email',
    score: top.score,
    reason: [
      `${sharedPhrase}, so it is never matched automatically`,
      ranked[0]!.phrases.length > 0 ? explain(ranked[0]!.phrases) : 'no name to tell them apart',
    ].join('; '),
    candidates: candidates.slice(0, MAX_CANDIDATES),
  };
}

/** Whether a ranks before b: higher score, then the fresher record, then the lower id. */
function ranksBefore(a: ScoredCandidate, b: ScoredCandidate): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.lastUpdateMs !== b.lastUpdateMs) return a.lastUpdateMs > b.lastUpdateMs;
  return a.contactId < b.contactId;
}

/**
 * Ranks a few scored candidates in place (an insertion sort: the lists hold about five, and
 * Array#sort allocated a work array and a boxed number per comparison on the hottest path).
 */
function rankScored(list: ScoredCandidate[]): void {
  for (let i = 1; i < list.length; i += 1) {
    const item = list[i]!;
    let at = i;
    while (at > 0 && ranksBefore(item, list[at - 1]!)) {
      list[at] = list[at - 1]!;
      at -= 1;
    }
    list[at] = item;
  }
}

function toCandidate(scored: ScoredCandidate): Candidate {
  return {
    contactId: scored.contactId,
    score: scored.score,
    reason: explain(scored.phrases),
  };
}

function fuzzyCandidates(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  email: NormalizedEmail | null,
  scoring: ScoringContext,
): Candidate[] {
  const profile = buildAttendeeProfile(index, attendee.name, email);
  // Addresses equal apart from a +tag are rare: the map is made only when there is one.
  let untagged: Map<number, string> | null = null;
  if (email !== null) {
    const sameBase = email.baseKey !== email.key ? index.byEmailKey.get(email.baseKey) : undefined;
    for (const position of sameBase ?? []) {
      untagged ??= new Map();
      untagged.set(position, email.baseKey);
    }
    for (const position of index.byUntaggedKey.get(email.baseKey) ?? []) {
      const stored = index.contacts[position]!.emails.find(
        (item) => item.baseKey === email.baseKey,
      );
      untagged ??= new Map();
      untagged.set(position, stored?.key ?? email.baseKey);
    }
  }
  const positions = collectCandidates(
    index,
    profile,
    scoring,
    untagged === null ? NO_POSITIONS : [...untagged.keys()],
  );
  const scored: ScoredCandidate[] = [];
  for (const position of positions) {
    let candidate = scoreContact(profile, position, scoring);
    const address = untagged?.get(position);
    if (address !== undefined) {
      candidate = {
        ...candidate,
        score: clampScore(Math.max(candidate.score, UNTAGGED_ADDRESS_SCORE)),
        phrases: [
          () => `same address as ${address} apart from the +tag`,
          ...candidate.phrases.filter((phrase) => !EMAIL_PHRASE.test(phrase())),
        ],
      };
    }
    if (candidate.score >= CANDIDATE_FLOOR) scored.push(candidate);
  }
  rankScored(scored);
  const candidates: Candidate[] = [];
  for (let k = 0; k < scored.length && k < MAX_CANDIDATES; k += 1) {
    candidates.push(toCandidate(scored[k]!));
  }
  return candidates;
}

function fuzzy(
  index: ContactIndex,
  attendee: AttendeeForMatching,
  email: NormalizedEmail | null,
  scoring: ScoringContext,
  notes: readonly string[],
): MatchOutcome {
  const hasName = (attendee.name?.trim().length ?? 0) > 0;
  if (email === null && !hasName) {
    return {
      state: 'unmatched',
      contactId: null,
      via: 'none',
      score: null,
      reason: [...notes, 'no email or name on the booking to match on'].join('; '),
      candidates: [],
    };
  }
  const candidates = fuzzyCandidates(index, attendee, email, scoring);
  const top = candidates[0];
  if (top !== undefined && top.score >= SUGGESTION_THRESHOLD) {
    return {
      state: 'suggested',
      contactId: top.contactId,
      via: 'fuzzy',
      score: top.score,
      reason: [...notes, top.reason].join('; '),
      candidates,
    };
  }
  const missing = email === null ? 'no email to match on' : 'no contact has this email';
  return {
    state: 'unmatched',
    contactId: null,
    via: 'none',
    score: top?.score ?? null,
    reason: [...notes, missing, 'no name close enough to suggest'].join('; '),
    candidates,
  };
}

/** One attendee's result within a booking; `outcome` is null for the advisor's own address. */
export type BookingAttendeeMatch = Readonly<{
  attendee: AttendeeForMatching;
  outcome: MatchOutcome | null;
}>;

export type BookingMatchOptions = Readonly<{
  /** The advisor's own addresses (hosts, assistants' shared inbox): skipped, never matched. */
  advisorEmails?: readonly string[];
  /** The same as normalized keys (advisorKeysOf), made once for a run of many bookings instead
   * of once per booking; used instead of advisorEmails when given. */
  advisorKeys?: ReadonlySet<string>;
  /** Earlier confirmations for an attendee (by its name or address), from the match history. */
  priorContactIdsFor?: (attendee: AttendeeForMatching) => ReadonlyMap<string, number> | undefined;
}>;

/** The normalized keys of the advisor's addresses (invalid ones left out). */
export function advisorKeysOf(emails: readonly string[]): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const address of emails) {
    const key = normalizeEmail(address)?.key;
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/**
 * Matches every attendee of one booking. Exact and alias matches come first; their contacts then
 * inform the others (a spouse booked with a client, colleagues from one firm). The advisor's own
 * addresses are skipped.
 */
export function matchBookingAttendees(
  index: ContactIndex,
  attendees: readonly AttendeeForMatching[],
  aliases: ReadonlyMap<string, string | null>,
  options: BookingMatchOptions = {},
): readonly BookingAttendeeMatch[] {
  const advisorKeys = options.advisorKeys ?? advisorKeysOf(options.advisorEmails ?? []);
  // Each address is read once, for the advisor check and for matching.
  const reads = attendees.map(readEmail);
  const isAdvisor = (i: number): boolean => {
    const key = reads[i]!.email?.key;
    return key !== undefined && advisorKeys.has(key);
  };
  const contextFor = (attendee: AttendeeForMatching, coAttendeeContactIds: readonly string[]) => {
    const prior = options.priorContactIdsFor?.(attendee);
    return {
      coAttendeeContactIds,
      ...(prior === undefined ? {} : { priorContactIds: prior }),
    } satisfies MatchContext;
  };

  const firstPass = attendees.map((attendee, i) =>
    isAdvisor(i) ? null : matchRead(index, attendee, reads[i]!, aliases, contextFor(attendee, [])),
  );
  const certain = firstPass.map((outcome) =>
    outcome?.state === 'auto' ? outcome.contactId : null,
  );
  if (certain.every((contactId) => contactId === null)) {
    return attendees.map((attendee, i) => ({ attendee, outcome: firstPass[i] ?? null }));
  }
  return attendees.map((attendee, i) => {
    const outcome = firstPass[i] ?? null;
    if (outcome === null || outcome.state === 'auto' || outcome.state === 'ignored') {
      return { attendee, outcome };
    }
    const others = certain.filter(
      (contactId, j): contactId is string => j !== i && contactId !== null,
    );
    return {
      attendee,
      outcome: matchRead(index, attendee, reads[i]!, aliases, contextFor(attendee, others)),
    };
  });
}
