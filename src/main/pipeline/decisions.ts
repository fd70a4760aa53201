// The advisor's decisions on matches, the same from the review queue and the CLI: confirm a
// contact, reject a suggestion, ignore an address, request a new LACRM contact, and undo. Each is
// one transaction that logs what it replaced; confirmations and ignores become aliases that every
// later sync reuses, rejections keep a contact from being suggested for that address again, and
// undo puts back the earlier matches and retires what the decision created. Afterwards the other
// attendees under the same address are matched again, so one decision settles them all.
import type { DecisionOutcome } from '../../shared/contract-match';
import type { BookingSource } from '../../shared/domain';
import { CoreError } from '../core/errors';
import { contactExists, type ContactSummary } from '../db/queries/contacts';
import {
  activeAlias,
  aliasesOfDecision,
  cancelContactRequestsOf,
  decisionsOfBatch,
  deleteMatch,
  insertAlias,
  insertContactRequest,
  insertDecision,
  insertRejection,
  latestOpenDecisions,
  loadActiveRejections,
  markDecisionUndone,
  matchesWithEmailKey,
  pendingRequestFor,
  queueDetails,
  reactivateAlias,
  readDecision,
  readMatch,
  readPrevious,
  recordDecisionEffects,
  restoreRetiredRejections,
  retireRejections,
  setAliasUndone,
  undoRejectionsOf,
  writeMatch,
  type DecisionRow,
  type PreviousMatches,
  type StoredMatch,
} from '../db/queries/matches';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import { normalizeEmail } from '../match';
import { emailKeyOf, nameKeyOf, runMatching } from './matching';
import { bulkEligible, decisionView, openItems } from './review';

export type DecisionDeps = Readonly<{
  db: Db;
  now: () => Date;
  /** The advisor's own addresses (never decided on: they are hosts). */
  ownEmails: () => Iterable<string>;
  /** Consumer mailbox domains besides the built-in ones (setting match.personalDomains). */
  personalDomains?: () => readonly string[];
}>;

/** Who decisions are recorded as made by. */
const ADVISOR = 'advisor';

export type AttendeeTarget = Readonly<{
  attendeeId?: number;
  booking?: Readonly<{ source: BookingSource; sourceId: string }>;
  email?: string;
}>;

type ResolvedAttendee = Readonly<{
  attendeeId: number;
  email: string | null;
  name: string | null;
  emailKey: string | null;
  nameKey: string;
}>;

type AttendeeRow = { id: number; email: string | null; name: string | null };

function ownKeys(deps: DecisionDeps): Set<string> {
  const keys = new Set<string>();
  for (const email of deps.ownEmails()) {
    const key = emailKeyOf(email);
    if (key !== null) keys.add(key);
  }
  return keys;
}

function resolved(row: AttendeeRow): ResolvedAttendee {
  return {
    attendeeId: row.id,
    email: row.email,
    name: row.name,
    emailKey: emailKeyOf(row.email),
    nameKey: nameKeyOf(row.name),
  };
}

/** The attendee a decision is about, or a not_found error that says what was missing. */
export function resolveAttendee(deps: DecisionDeps, target: AttendeeTarget): ResolvedAttendee {
  const { db } = deps;
  let attendee: ResolvedAttendee;
  if (target.attendeeId !== undefined) {
    const row = db
      .prepare('SELECT id, email, name FROM attendees WHERE id = ?')
      .get(target.attendeeId) as AttendeeRow | undefined;
    if (!row) throw new CoreError('not_found', `There is no attendee ${target.attendeeId}.`);
    attendee = resolved(row);
  } else if (target.booking !== undefined && target.email !== undefined) {
    const { source, sourceId } = target.booking;
    const booking = db
      .prepare('SELECT id FROM bookings WHERE source = ? AND source_id = ?')
      .get(source, sourceId) as { id: number } | undefined;
    if (!booking)
      throw new CoreError(
        'not_found',
        `There is no ${source} booking "${sourceId}". Sync first, and check the id (cadence export bookings lists them).`,
      );
    const wanted = emailKeyOf(target.email) ?? target.email.trim().toLowerCase();
    const rows = db
      .prepare('SELECT id, email, name FROM attendees WHERE booking_id = ? ORDER BY position')
      .all(booking.id) as AttendeeRow[];
    const row = rows.find(
      (r) => r.email !== null && (emailKeyOf(r.email) ?? r.email.trim().toLowerCase()) === wanted,
    );
    if (!row)
      throw new CoreError(
        'not_found',
        `${source} booking "${sourceId}" has no attendee with the address ${target.email} (it has ${rows.length} attendee${rows.length === 1 ? '' : 's'}).`,
      );
    attendee = resolved(row);
  } else {
    throw new CoreError(
      'invalid_input',
      'Say which attendee: an attendee id, or a booking and email.',
    );
  }
  if (attendee.emailKey !== null && ownKeys(deps).has(attendee.emailKey))
    throw new CoreError(
      'conflict',
      'That is one of your own addresses: you are a host of this meeting, not an attendee to match.',
    );
  return attendee;
}

function requireContact(db: Db, contactId: string): ContactSummary {
  const contact = contactExists(db, contactId);
  if (contact === null || contact.removed)
    throw new CoreError(
      'not_found',
      `Contact ${contactId} is not in the synced contact list${contact?.removed ? ' any more (it was removed from LACRM)' : ''}. Sync Less Annoying CRM (cadence sync --source lacrm) and check the id.`,
    );
  return contact;
}

type Member = Readonly<{ attendeeId: number; previous: StoredMatch | null }>;

/**
 * The attendees a decision on `attendee` settles: the attendee itself, and every other attendee
 * booked under the same address and name whose match `include` accepts.
 */
function membersOf(
  db: Db,
  attendee: ResolvedAttendee,
  include: (match: StoredMatch) => boolean,
): Member[] {
  const members: Member[] = [
    { attendeeId: attendee.attendeeId, previous: readMatch(db, attendee.attendeeId) },
  ];
  if (attendee.emailKey === null) return members;
  for (const match of matchesWithEmailKey(db, attendee.emailKey)) {
    if (match.attendeeId === attendee.attendeeId) continue;
    if (match.nameKey === attendee.nameKey && include(match))
      members.push({ attendeeId: match.attendeeId, previous: match });
  }
  return members;
}

const notSettledByAdvisor = (m: StoredMatch) =>
  m.decidedBy === 'auto' || m.state === 'rejected' || m.state === 'unmatched';

function snapshot(members: readonly Member[]): PreviousMatches {
  return members.map((m) => ({
    attendeeId: m.attendeeId,
    match: m.previous === null ? null : { ...m.previous, candidates: [...m.previous.candidates] },
  }));
}

/** Replaces the active alias of an address; returns the id of the one it replaced. */
function replaceAlias(
  db: Db,
  emailKey: string,
  contactId: string | null,
  decisionId: number,
  nowIso: string,
): number | null {
  const existing = activeAlias(db, emailKey);
  if (existing) setAliasUndone(db, existing.id, nowIso);
  insertAlias(db, { emailKey, contactId, createdBy: ADVISOR, decisionId, nowIso });
  return existing?.id ?? null;
}

function rematch(deps: DecisionDeps, emailKeys: Iterable<string | null>): number {
  const keys = [...new Set([...emailKeys].filter((k): k is string => k !== null))];
  if (keys.length === 0) return 0;
  return runMatching({
    db: deps.db,
    ownEmails: deps.ownEmails(),
    ...(deps.personalDomains === undefined ? {} : { personalDomains: deps.personalDomains() }),
    now: deps.now,
    emailKeys: keys,
  }).changed;
}

function outcome(
  deps: DecisionDeps,
  decisionIds: readonly number[],
  affected: number,
): DecisionOutcome {
  return {
    decisions: decisionIds.map((id) => decisionView(deps.db, readDecision(deps.db, id)!)),
    affected,
  };
}

/** Confirms inside the caller's transaction; returns the decision id and attendees changed. */
function applyConfirm(
  deps: DecisionDeps,
  attendee: ResolvedAttendee,
  contact: ContactSummary,
  batchId: number | null,
): { decisionId: number; affected: number } {
  const { db } = deps;
  const nowIso = deps.now().toISOString();
  const decisionId = insertDecision(db, {
    batchId,
    action: 'confirm',
    emailKey: attendee.emailKey,
    contactId: contact.contactId,
    attendeeId: attendee.attendeeId,
    decidedBy: ADVISOR,
    nowIso,
  });
  const members = membersOf(db, attendee, notSettledByAdvisor);
  const reason =
    attendee.emailKey === null
      ? `you linked this attendee to ${contact.name}`
      : `you confirmed ${attendee.emailKey} is ${contact.name}`;
  for (const member of members) {
    writeMatch(db, {
      attendeeId: member.attendeeId,
      emailKey: attendee.emailKey,
      nameKey: member.previous?.nameKey ?? attendee.nameKey,
      state: 'confirmed',
      contactId: contact.contactId,
      via: attendee.emailKey === null ? 'advisor' : 'alias',
      score: 1,
      reason,
      candidates: [{ contactId: contact.contactId, score: 1, reason: 'confirmed by you' }],
      decidedBy: 'advisor',
      decidedAt: nowIso,
      decisionId,
    });
  }
  let replaced: number | null = null;
  if (attendee.emailKey !== null) {
    replaced = replaceAlias(db, attendee.emailKey, contact.contactId, decisionId, nowIso);
    retireRejections(db, attendee.emailKey, contact.contactId, decisionId, nowIso);
  }
  recordDecisionEffects(db, decisionId, snapshot(members), replaced);
  return { decisionId, affected: members.length };
}

export function confirmMatch(
  deps: DecisionDeps,
  target: AttendeeTarget,
  contactId: string,
): DecisionOutcome {
  const attendee = resolveAttendee(deps, target);
  const contact = requireContact(deps.db, contactId);
  return writeTransaction(deps.db, () => {
    const { decisionId, affected } = applyConfirm(deps, attendee, contact, null);
    return outcome(deps, [decisionId], affected + rematch(deps, [attendee.emailKey]));
  });
}

export function rejectSuggestion(
  deps: DecisionDeps,
  attendeeId: number,
  contactId: string | undefined,
): DecisionOutcome {
  const { db } = deps;
  const attendee = resolveAttendee(deps, { attendeeId });
  const current = readMatch(db, attendeeId);
  const rejectedId = contactId ?? current?.contactId ?? null;
  if (rejectedId === null)
    throw new CoreError('conflict', 'There is no suggestion to reject for this attendee.');
  const contact = contactExists(db, rejectedId);
  return writeTransaction(db, () => {
    const nowIso = deps.now().toISOString();
    const decisionId = insertDecision(db, {
      batchId: null,
      action: 'reject',
      emailKey: attendee.emailKey,
      contactId: rejectedId,
      attendeeId,
      decidedBy: ADVISOR,
      nowIso,
    });
    let replaced: number | null = null;
    if (attendee.emailKey !== null) {
      insertRejection(db, attendee.emailKey, rejectedId, decisionId, nowIso);
      // An earlier "this address is that contact" for the rejected contact no longer holds.
      const alias = activeAlias(db, attendee.emailKey);
      if (alias !== null && alias.contactId === rejectedId) {
        setAliasUndone(db, alias.id, nowIso);
        replaced = alias.id;
      }
    }
    const rejected =
      attendee.emailKey === null
        ? new Set([rejectedId])
        : (loadActiveRejections(db).get(attendee.emailKey) ?? new Set([rejectedId]));
    const members = membersOf(
      db,
      attendee,
      (m) => m.decidedBy === 'auto' || m.state === 'rejected',
    );
    const who = contact?.name ?? `contact ${rejectedId}`;
    for (const member of members) {
      const remaining = (member.previous?.candidates ?? []).filter(
        (c) => !rejected.has(c.contactId),
      );
      writeMatch(db, {
        attendeeId: member.attendeeId,
        emailKey: attendee.emailKey,
        nameKey: member.previous?.nameKey ?? attendee.nameKey,
        state: 'rejected',
        contactId: null,
        via: 'advisor',
        score: remaining[0]?.score ?? null,
        reason:
          remaining.length > 0
            ? `you rejected ${who}; next best: ${remaining[0]!.reason}`
            : `you rejected ${who}; link the right contact or ignore the address`,
        candidates: remaining,
        decidedBy: 'advisor',
        decidedAt: nowIso,
        decisionId,
      });
    }
    recordDecisionEffects(db, decisionId, snapshot(members), replaced);
    return outcome(deps, [decisionId], members.length + rematch(deps, [attendee.emailKey]));
  });
}

export function ignoreAddress(
  deps: DecisionDeps,
  target: Readonly<{ attendeeId?: number; email?: string }>,
): DecisionOutcome {
  const { db } = deps;
  let emailKey: string;
  let attendeeId: number | null = null;
  if (target.attendeeId !== undefined) {
    const attendee = resolveAttendee(deps, { attendeeId: target.attendeeId });
    if (attendee.emailKey === null)
      throw new CoreError(
        'conflict',
        'This attendee has no email address to ignore. Link a contact or request a new one instead.',
      );
    emailKey = attendee.emailKey;
    attendeeId = attendee.attendeeId;
  } else {
    const normalized = normalizeEmail(target.email ?? '');
    if (normalized === null)
      throw new CoreError('invalid_input', `"${target.email ?? ''}" is not an email address.`);
    emailKey = normalized.key;
    if (ownKeys(deps).has(emailKey))
      throw new CoreError(
        'conflict',
        'That is one of your own addresses; it is never matched anyway.',
      );
  }
  return writeTransaction(db, () => {
    const nowIso = deps.now().toISOString();
    const decisionId = insertDecision(db, {
      batchId: null,
      action: 'ignore',
      emailKey,
      contactId: null,
      attendeeId,
      decidedBy: ADVISOR,
      nowIso,
    });
    // "From now on": every attendee under the address, except ones the advisor linked by hand.
    const members: Member[] = matchesWithEmailKey(db, emailKey)
      .filter(
        (m) =>
          m.attendeeId === attendeeId || !(m.decidedBy === 'advisor' && m.state === 'confirmed'),
      )
      .map((m) => ({ attendeeId: m.attendeeId, previous: m }));
    if (attendeeId !== null && !members.some((m) => m.attendeeId === attendeeId))
      members.push({ attendeeId, previous: readMatch(db, attendeeId) });
    for (const member of members) {
      writeMatch(db, {
        attendeeId: member.attendeeId,
        emailKey,
        nameKey: member.previous?.nameKey ?? '',
        state: 'ignored',
        contactId: null,
        via: 'alias',
        score: null,
        reason: 'you chose to ignore this address',
        candidates: [],
        decidedBy: 'advisor',
        decidedAt: nowIso,
        decisionId,
      });
    }
    const replaced = replaceAlias(db, emailKey, null, decisionId, nowIso);
    recordDecisionEffects(db, decisionId, snapshot(members), replaced);
    return outcome(deps, [decisionId], members.length);
  });
}

export function requestNewContact(
  deps: DecisionDeps,
  request: Readonly<{ attendeeId: number; firstName: string; lastName: string; email?: string }>,
): DecisionOutcome {
  const { db } = deps;
  const attendee = resolveAttendee(deps, { attendeeId: request.attendeeId });
  const email = request.email ?? attendee.email;
  const emailKey = emailKeyOf(email) ?? attendee.emailKey;
  if (pendingRequestFor(db, emailKey, attendee.attendeeId) !== null)
    throw new CoreError('conflict', 'A new contact is already requested for this address.');
  return writeTransaction(db, () => {
    const nowIso = deps.now().toISOString();
    const decisionId = insertDecision(db, {
      batchId: null,
      action: 'request_contact',
      emailKey,
      contactId: null,
      attendeeId: attendee.attendeeId,
      decidedBy: ADVISOR,
      nowIso,
    });
    insertContactRequest(db, {
      firstName: request.firstName,
      lastName: request.lastName,
      email: email?.trim() ?? null,
      emailKey,
      attendeeId: attendee.attendeeId,
      createdBy: ADVISOR,
      decisionId,
      nowIso,
    });
    return outcome(deps, [decisionId], 0);
  });
}

/** Confirms every open suggestion at or above `minScore` (only items in `keys`, when given). */
export function bulkAccept(
  deps: DecisionDeps,
  minScore: number,
  keys: readonly string[] | undefined,
): DecisionOutcome {
  const { db } = deps;
  const wanted = keys === undefined ? null : new Set(keys);
  const items = bulkEligible(openItems(db), minScore).filter(
    (item) => wanted === null || wanted.has(item.key),
  );
  if (items.length === 0) return { decisions: [], affected: 0 };
  const details = queueDetails(
    db,
    items.map((item) => item.representative.attendee_id),
  );
  return writeTransaction(db, () => {
    let batchId: number | null = null;
    const ids: number[] = [];
    const touched: (string | null)[] = [];
    let affected = 0;
    for (const item of items) {
      const row = item.representative;
      const detail = details.get(row.attendee_id);
      const contact = row.contact_id === null ? null : contactExists(db, row.contact_id);
      if (detail === undefined || contact === null || contact.removed) continue;
      const attendee = resolved({ id: row.attendee_id, email: detail.email, name: detail.name });
      const applied = applyConfirm(deps, attendee, contact, batchId);
      if (batchId === null) {
        batchId = applied.decisionId;
        db.prepare('UPDATE match_decisions SET batch_id = ? WHERE id = ?').run(batchId, batchId);
      }
      ids.push(applied.decisionId);
      touched.push(attendee.emailKey);
      affected += applied.affected;
    }
    return outcome(deps, ids, affected + rematch(deps, touched));
  });
}

function undoOne(db: Db, row: DecisionRow, nowIso: string): number {
  let restored = 0;
  for (const { attendeeId, match } of readPrevious(row)) {
    const current = readMatch(db, attendeeId);
    // Only what this decision still owns: a later decision on the attendee stands.
    if (current === null || current.decisionId !== row.id) continue;
    if (match === null) deleteMatch(db, attendeeId);
    else writeMatch(db, match);
    restored++;
  }
  for (const alias of aliasesOfDecision(db, row.id)) setAliasUndone(db, alias.id, nowIso);
  if (row.replaced_alias_id !== null) reactivateAlias(db, row.replaced_alias_id);
  undoRejectionsOf(db, row.id, nowIso);
  restoreRetiredRejections(db, row.id);
  cancelContactRequestsOf(db, row.id, nowIso);
  markDecisionUndone(db, row.id, nowIso);
  return restored;
}

/** Undoes a decision and the rest of its batch, or the latest decision when no id is given. */
export function undoDecision(deps: DecisionDeps, decisionId: number | undefined): DecisionOutcome {
  const { db } = deps;
  let rows: DecisionRow[];
  if (decisionId === undefined) {
    rows = latestOpenDecisions(db);
    if (rows.length === 0) throw new CoreError('not_found', 'There is no decision to undo.');
  } else {
    const row = readDecision(db, decisionId);
    if (!row) throw new CoreError('not_found', `There is no decision ${decisionId}.`);
    if (row.undone_at !== null)
      throw new CoreError('conflict', `Decision ${decisionId} was already undone.`);
    rows = row.batch_id === null ? [row] : decisionsOfBatch(db, row.batch_id);
  }
  return writeTransaction(db, () => {
    const nowIso = deps.now().toISOString();
    let affected = 0;
    for (const row of [...rows].sort((a, b) => b.id - a.id)) affected += undoOne(db, row, nowIso);
    affected += rematch(
      deps,
      rows.map((r) => r.email_key),
    );
    return outcome(
      deps,
      rows.map((r) => r.id),
      affected,
    );
  });
}
