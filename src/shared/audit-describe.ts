// Words for the audit log: every action Cadence records, in plain English, and each entry as a line
// an advisor or an examiner can read ("Matched an attendee to a contact · Robert Smith · attendee
// Bob Smith · Annual review, Feb 3, 2026" with "Bulk accept: #3"), instead of action codes and
// JSON. Reading only: what is stored, hashed and exported stays exactly as recorded.
import { categoryLabel, CATEGORY_SLUG_RE } from './classification';
import { changeKindLabels, type AuditEntryView } from './contract-changes';
import { assertNever } from './result';

type AuditGroup =
  'Matching' | 'Changes' | 'Writes to LACRM' | 'Reports' | 'Meeting categories' | 'Review cadence';

/**
 * Every action the code appends, with its group (for the filter) and its label. An action missing
 * here shows as its code; src/main/audit/actions.test.ts fails when code can append one that is.
 */
const AUDIT_ACTIONS = {
  'match.confirm': { group: 'Matching', label: 'Matched an attendee to a contact' },
  'match.reject': { group: 'Matching', label: 'Ruled out a contact for an attendee' },
  'match.ignore': { group: 'Matching', label: 'Ignored an attendee’s address' },
  'match.request_contact': { group: 'Matching', label: 'Asked for a new LACRM contact' },
  'match.undo': { group: 'Matching', label: 'Undid a matching decision' },
  'change.approved': { group: 'Changes', label: 'Approved a change' },
  'change.rejected': { group: 'Changes', label: 'Rejected a change' },
  'change.reproposed': { group: 'Changes', label: 'Change proposed again (its inputs changed)' },
  'change.withdrawn': { group: 'Changes', label: 'Change withdrawn (no longer needed)' },
  'change.undone': { group: 'Changes', label: 'Change undone in LACRM' },
  'undo.requested': { group: 'Changes', label: 'Asked to undo a push' },
  'push.started': { group: 'Writes to LACRM', label: 'Push to LACRM started' },
  'push.finished': { group: 'Writes to LACRM', label: 'Push to LACRM finished' },
  'push.failed': { group: 'Writes to LACRM', label: 'A write to LACRM failed' },
  'push.event_created': { group: 'Writes to LACRM', label: 'Created an event in LACRM' },
  'push.event_updated': { group: 'Writes to LACRM', label: 'Updated an event in LACRM' },
  'push.event_deleted': { group: 'Writes to LACRM', label: 'Deleted an event in LACRM' },
  'push.note_created': { group: 'Writes to LACRM', label: 'Created a note in LACRM' },
  'push.note_updated': { group: 'Writes to LACRM', label: 'Updated a note in LACRM' },
  'push.note_deleted': { group: 'Writes to LACRM', label: 'Deleted a note in LACRM' },
  'push.contact_updated': { group: 'Writes to LACRM', label: 'Updated contact fields in LACRM' },
  'push.contact_created': { group: 'Writes to LACRM', label: 'Created a contact in LACRM' },
  'report.exported': { group: 'Reports', label: 'Exported a compliance report' },
  'classification.override_set': {
    group: 'Meeting categories',
    label: 'Set a meeting’s category by hand',
  },
  'classification.override_cleared': {
    group: 'Meeting categories',
    label: 'Cleared a meeting’s hand-set category',
  },
  'classification.rules_saved': {
    group: 'Meeting categories',
    label: 'Saved the category rules',
  },
  'policy.contact_cadence_set': {
    group: 'Review cadence',
    label: 'Set a client’s review cadence',
  },
  'policy.group_cadence_set': {
    group: 'Review cadence',
    label: 'Set a review group’s cadence',
  },
  'policy.group_removed': { group: 'Review cadence', label: 'Removed a review group' },
} as const satisfies Record<string, Readonly<{ group: AuditGroup; label: string }>>;

export type KnownAuditAction = keyof typeof AUDIT_ACTIONS;
export const knownAuditActions = Object.keys(AUDIT_ACTIONS) as KnownAuditAction[];

function isKnownAction(action: string): action is KnownAuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, action);
}

/** The action in words; an action this version does not know (a newer one's) shows as its code. */
export function auditActionLabel(action: string): string {
  return isKnownAction(action) ? AUDIT_ACTIONS[action].label : action;
}

/** The filter's choices, grouped as the screen shows them. */
export function auditActionGroups(): {
  group: AuditGroup;
  actions: { action: string; label: string }[];
}[] {
  const groups = new Map<AuditGroup, { action: string; label: string }[]>();
  for (const action of knownAuditActions) {
    const { group, label } = AUDIT_ACTIONS[action];
    groups.set(group, [...(groups.get(group) ?? []), { action, label }]);
  }
  return [...groups].map(([group, actions]) => ({ group, actions }));
}

const actorLabels: Readonly<Record<string, string>> = {
  advisor: 'Advisor',
  cli: 'Advisor (command line)',
  system: 'Cadence (automatic)',
  cadence: 'Cadence',
};

/** Who, in words: the stored actor is 'advisor', 'cli' or 'system'. */
export function auditActorLabel(actor: string): string {
  return actorLabels[actor] ?? actor;
}

// ---------------------------------------------------------------------------------------------
// One entry as a line

export type AuditDetailItem = Readonly<{ label: string; value: string }>;

export type AuditLine = Readonly<{
  /** What happened: the action in words. */
  what: string;
  /** Whom or what it concerns (client, attendee, meeting, report, group…), or null. */
  about: string | null;
  /** The rest of what was recorded, as label: value. */
  details: readonly AuditDetailItem[];
}>;

export type AuditFormat = Readonly<{
  /** An instant (ISO 8601) for people: the screen passes its locale's format. */
  dateTime: (iso: string) => string;
  /** A calendar day (YYYY-MM-DD). */
  date: (day: string) => string;
}>;

/** Locale-free defaults, for text that must read the same everywhere (the CLI, tests). */
export const plainAuditFormat: AuditFormat = {
  dateTime: (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime())
      ? iso
      : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  },
  date: (day) => day,
};

type Json = NonNullable<AuditEntryView['detail']>[string];

const kindWords: Readonly<Record<string, string>> = changeKindLabels;

const undoneDecisionWords: Readonly<Record<string, string>> = {
  confirm: 'the match to a contact',
  reject: 'ruling out a contact',
  ignore: 'ignoring the address',
  request_contact: 'the request for a new contact',
};

const pushStateWords: Readonly<Record<string, string>> = {
  finished: 'every change written',
  partial: 'some changes could not be written',
  failed: 'nothing could be written',
  cancelled: 'stopped by the advisor',
  interrupted: 'interrupted',
};

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function months(n: number): string {
  return n === 1 ? '1 month' : `${count(n)} months`;
}

/** "periodFrom" → "Period from"; a key that is already words (an LACRM field name) stays. */
function keyWords(key: string): string {
  if (!/^[a-z][A-Za-z0-9_]*$/.test(key)) return key;
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Any stored value as words: no braces, no quotes. */
function plain(value: Json): string {
  if (value === null) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return count(value);
  if (typeof value === 'string') return value === '' ? '(blank)' : value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(plain).join(', ');
  const entries = Object.entries(value);
  if (entries.length === 0) return 'none';
  return entries.map(([k, v]) => `${keyWords(k)}: ${plain(v)}`).join('; ');
}

/** Reads the stored detail and remembers what it used, so nothing recorded is left unsaid. */
class DetailReader {
  private readonly used = new Set<string>();
  constructor(private readonly detail: Readonly<Record<string, Json>>) {}

  raw(key: string): Json | undefined {
    this.used.add(key);
    return this.detail[key];
  }
  string(key: string): string | null {
    const value = this.raw(key);
    return typeof value === 'string' ? value : null;
  }
  number(key: string): number | null {
    const value = this.raw(key);
    return typeof value === 'number' ? value : null;
  }
  /** Keys said elsewhere in the line (the about part) or of no use to a reader (internal keys). */
  skip(...keys: string[]): void {
    for (const key of keys) this.used.add(key);
  }
  unused(): [string, Json][] {
    return Object.entries(this.detail).filter(([key]) => !this.used.has(key));
  }
}

type Parts = { about: (string | null)[]; details: AuditDetailItem[] };

function item(details: AuditDetailItem[], label: string, value: string | null): void {
  if (value !== null) details.push({ label, value });
}

/** "change #58"; with no prefix (the label names the kind of record) "#58". */
function ref(prefix: string, n: number | null): string | null {
  if (n === null) return null;
  return prefix === '' ? `#${n}` : `${prefix} #${n}`;
}

function meeting(entry: AuditEntryView, format: AuditFormat): string | null {
  const title = entry.about?.meetingTitle ?? null;
  const start = entry.about?.meetingStart ?? null;
  if (title === null) return null;
  return start === null ? title : `${title}, ${format.dateTime(start)}`;
}

function client(entry: AuditEntryView): string | null {
  const about = entry.about;
  if (!about?.contactId) return null;
  return about.contactName ?? `LACRM contact ${about.contactId} (not in the synced contacts)`;
}

function category(value: Json | undefined): string | null {
  return typeof value === 'string' && CATEGORY_SLUG_RE.test(value) ? categoryLabel(value) : null;
}

/** Kinds whose summary already says what they do ("Update Last portfolio review"). */
const selfDescribing = new Set(['EditContact', 'CreateContact']);

/** What a change does ("New event: Annual review · 2026-02-03"), from the change as listed. */
function changeText(entry: AuditEntryView, d: DetailReader, format: AuditFormat): string | null {
  const kind = d.string('kind');
  const word = kind === null ? null : (kindWords[kind] ?? kind);
  const summary = entry.about?.changeSummary ?? meeting(entry, format);
  if (summary === null) return word;
  // A compensating change's summary is its original's with "Undo: " in front.
  const undo = summary.startsWith('Undo: ');
  const body = undo ? summary.slice('Undo: '.length) : summary;
  if (word === null || (kind !== null && selfDescribing.has(kind)))
    return undo ? `${body} (undo)` : body;
  return `${word}${undo ? ' (undo)' : ''}: ${body}`;
}

function matchParts(entry: AuditEntryView, d: DetailReader, format: AuditFormat): Parts {
  d.skip('attendeeId', 'contactId');
  const attendee = entry.about?.attendeeName;
  const details: AuditDetailItem[] = [];
  const undone = entry.about?.undoneDecision ?? null;
  if (undone !== null) item(details, 'Undid', undoneDecisionWords[undone] ?? undone);
  const bulk = d.number('batchId');
  item(details, 'Decided', bulk === null ? null : `in one go with others (bulk accept #${bulk})`);
  return {
    about: [client(entry), attendee ? `attendee ${attendee}` : null, meeting(entry, format)],
    details,
  };
}

function changeParts(
  action: KnownAuditAction,
  entry: AuditEntryView,
  d: DetailReader,
  format: AuditFormat,
): Parts {
  d.skip('key', 'contactId');
  const details: AuditDetailItem[] = [];
  const from = d.string('from');
  item(details, 'Was', from);
  item(details, 'Why', d.string('reason'));
  const scope = d.string('scope');
  item(
    details,
    'Decided',
    scope === 'all'
      ? 'with every other open change at once'
      : scope === 'group'
        ? 'with the rest of its group at once'
        : scope,
  );
  item(details, 'Undoes', ref('change', d.number('undoOf')));
  item(details, 'Undone by', ref('change', d.number('by')));
  item(details, 'Push', ref('', d.number('batchId')));
  // The writes: what LACRM was sent, and how it went.
  const fields = d.raw('fields');
  if (fields !== undefined && fields !== null && typeof fields === 'object')
    item(details, 'Fields', plain(fields));
  const booking = d.string('booking');
  if (booking !== null && !entry.about?.meetingTitle) item(details, 'Booking', booking);
  if (d.raw('adopted') === true) {
    const duplicates = d.number('duplicatesFound');
    item(
      details,
      'Note',
      `an earlier attempt had already written it; that record was kept, not written twice${duplicates ? ` (${count(duplicates)} duplicate${duplicates === 1 ? '' : 's'} found)` : ''}`,
    );
  } else d.skip('duplicatesFound');
  if (d.raw('alreadyGone') === true) item(details, 'Note', 'it was already gone from LACRM');
  const attempts = d.number('attempts');
  if (attempts !== null && (attempts > 1 || action === 'push.failed'))
    item(details, 'Attempt', count(attempts));
  if (action === 'push.failed') {
    const error = d.string('error');
    const code = d.string('code');
    item(details, 'Error', error ?? code);
    if (error !== null && code !== null) item(details, 'Error code', code);
    if (d.raw('outcomeUnknown') === true)
      item(details, 'Outcome', 'unknown: LACRM may have received it');
  }
  item(details, 'Change', entry.subjectId === null ? null : `#${entry.subjectId}`);
  return { about: [client(entry), changeText(entry, d, format)], details };
}

function batchParts(action: KnownAuditAction, entry: AuditEntryView, d: DetailReader): Parts {
  const details: AuditDetailItem[] = [];
  const batch = entry.subjectId === null ? null : `push #${entry.subjectId}`;
  if (action === 'push.started') {
    const changes = d.number('changes');
    item(details, 'Changes', changes === null ? null : count(changes));
  } else if (action === 'push.finished') {
    const state = d.string('state');
    item(details, 'Result', state === null ? null : (pushStateWords[state] ?? state));
    const pushed = d.number('pushed');
    const total = d.number('total');
    item(details, 'Written', pushed === null ? null : `${count(pushed)} of ${count(total ?? 0)}`);
    const failed = d.number('failed');
    item(details, 'Failed', failed === null ? null : count(failed));
  } else {
    const proposed = d.raw('proposed');
    if (Array.isArray(proposed)) {
      const ids = proposed.filter((id): id is number => typeof id === 'number');
      const shown = ids.slice(0, 8).map((id) => `#${id}`);
      item(
        details,
        'Proposed',
        `${count(ids.length)} compensating change${ids.length === 1 ? '' : 's'}${ids.length ? ` (${shown.join(', ')}${ids.length > shown.length ? ', …' : ''})` : ''}, to approve before they are written`,
      );
    }
    const notUndoable = d.raw('notUndoable');
    if (Array.isArray(notUndoable) && notUndoable.length > 0) {
      item(
        details,
        'Cannot be undone',
        notUndoable
          .map((n) =>
            n !== null && typeof n === 'object' && !Array.isArray(n)
              ? `change #${plain(n.changeId ?? null)}: ${plain(n.reason ?? null)}`
              : plain(n),
          )
          .join('; '),
      );
    }
  }
  return { about: [batch], details };
}

function reportParts(d: DetailReader, format: AuditFormat): Parts {
  const report = d.string('report');
  const from = d.string('periodFrom');
  const to = d.string('periodTo');
  const name = report === 'compliance' || report === null ? 'Compliance report' : keyWords(report);
  const period = from !== null && to !== null ? `${format.date(from)} – ${format.date(to)}` : null;
  const details: AuditDetailItem[] = [];
  const kind = d.string('format');
  item(details, 'Format', kind === null ? null : kind.toUpperCase());
  const clients = d.number('clients');
  item(details, 'Clients', clients === null ? null : count(clients));
  const reviews = d.number('reviews');
  item(details, 'Reviews', reviews === null ? null : count(reviews));
  const bytes = d.number('bytes');
  item(details, 'Size', bytes === null ? null : `${count(bytes)} bytes`);
  item(details, 'SHA-256', d.string('sha256'));
  return { about: [period === null ? name : `${name}, ${period}`], details };
}

function categoryParts(
  action: KnownAuditAction,
  entry: AuditEntryView,
  d: DetailReader,
  format: AuditFormat,
): Parts {
  const details: AuditDetailItem[] = [];
  if (action === 'classification.rules_saved') {
    const version = d.number('version');
    const previous = d.number('previousVersion');
    item(details, 'Replaces', previous === null ? null : `version ${previous}`);
    const rules = d.number('rules');
    item(details, 'Rules', rules === null ? null : count(rules));
    const classified = d.number('classified');
    item(details, 'Meetings classified again', classified === null ? null : count(classified));
    const changed = d.number('changed');
    item(details, 'Meetings whose category changed', changed === null ? null : count(changed));
    return { about: [version === null ? null : `rules version ${version}`], details };
  }
  if (action === 'classification.override_set') {
    item(details, 'Category', category(d.raw('category')));
    const previous = d.raw('previous');
    item(details, 'Before', previous === null ? 'as the rules decided' : category(previous));
  } else {
    item(details, 'Was', category(d.raw('previous')));
    details.push({ label: 'Now', value: 'as the rules decide' });
  }
  const title = meeting(entry, format);
  return {
    about: [title ?? (entry.subjectId === null ? null : `booking #${entry.subjectId}`)],
    details,
  };
}

function policyParts(action: KnownAuditAction, entry: AuditEntryView, d: DetailReader): Parts {
  const details: AuditDetailItem[] = [];
  const cadence = d.raw('cadenceMonths');
  const previous = d.raw('previous');
  if (action === 'policy.contact_cadence_set') {
    item(
      details,
      'Review every',
      typeof cadence === 'number' ? months(cadence) : 'as the client’s group or the default says',
    );
    item(
      details,
      'Before',
      typeof previous === 'number' ? months(previous) : 'the client’s group or the default',
    );
    return { about: [client(entry)], details };
  }
  const field = d.string('field');
  const value = d.string('value');
  const group =
    field !== null && value !== null ? `review group ${field} = ${value}` : `review group`;
  if (action === 'policy.group_removed') {
    item(details, 'Was every', typeof cadence === 'number' ? months(cadence) : null);
  } else {
    item(details, 'Review every', typeof cadence === 'number' ? months(cadence) : null);
    item(details, 'Before', typeof previous === 'number' ? months(previous) : 'a new group');
  }
  return { about: [group], details };
}

function knownParts(
  action: KnownAuditAction,
  entry: AuditEntryView,
  d: DetailReader,
  format: AuditFormat,
): Parts {
  switch (action) {
    case 'match.confirm':
    case 'match.reject':
    case 'match.ignore':
    case 'match.request_contact':
    case 'match.undo':
      return matchParts(entry, d, format);
    case 'change.approved':
    case 'change.rejected':
    case 'change.reproposed':
    case 'change.withdrawn':
    case 'change.undone':
    case 'push.failed':
    case 'push.event_created':
    case 'push.event_updated':
    case 'push.event_deleted':
    case 'push.note_created':
    case 'push.note_updated':
    case 'push.note_deleted':
    case 'push.contact_updated':
    case 'push.contact_created':
      return changeParts(action, entry, d, format);
    case 'push.started':
    case 'push.finished':
    case 'undo.requested':
      return batchParts(action, entry, d);
    case 'report.exported':
      return reportParts(d, format);
    case 'classification.override_set':
    case 'classification.override_cleared':
    case 'classification.rules_saved':
      return categoryParts(action, entry, d, format);
    case 'policy.contact_cadence_set':
    case 'policy.group_cadence_set':
    case 'policy.group_removed':
      return policyParts(action, entry, d);
    default:
      return assertNever(action, 'audit action');
  }
}

/** What an entry of an action this version does not know concerns: its subject, in words. */
function unknownParts(entry: AuditEntryView, format: AuditFormat): Parts {
  const subject =
    entry.subjectType === null
      ? null
      : `${keyWords(entry.subjectType).toLowerCase()}${entry.subjectId === null ? '' : ` #${entry.subjectId}`}`;
  return { about: [client(entry), meeting(entry, format) ?? subject], details: [] };
}

/** One entry as a line: what happened, whom or what it concerns, and the rest as label: value. */
export function describeAuditEntry(
  entry: AuditEntryView,
  format: AuditFormat = plainAuditFormat,
): AuditLine {
  const reader = new DetailReader(entry.detail ?? {});
  const parts = isKnownAction(entry.action)
    ? knownParts(entry.action, entry, reader, format)
    : unknownParts(entry, format);
  // Whatever the entry recorded that the line above did not say, said plainly: nothing is hidden.
  const rest = reader
    .unused()
    .map(([key, value]) => ({ label: keyWords(key), value: plain(value) }));
  const details =
    entry.detail === null ? [{ label: 'Detail', value: 'unreadable (not a JSON object)' }] : [];
  const about = parts.about.filter((part): part is string => part !== null && part !== '');
  return {
    what: auditActionLabel(entry.action),
    about: about.length > 0 ? about.join(' · ') : null,
    details: [...parts.details, ...rest, ...details],
  };
}
