// IPC methods for the change plan, approvals, push, undo and the audit log (merged into contract.ts).
// Every input is parsed here before a handler sees it; every output is checked on the way out.
import { z } from 'zod';
import { BookingSource, ChangeState, changeStates } from './domain';

// The same tiny helper as contract.ts (importing it from there would be an import cycle).
function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output } as const;
}

/** What a change writes, named after the LACRM function it calls: a public contract (exports). */
export const changeKinds = [
  'CreateEvent',
  'EditEvent',
  'DeleteEvent',
  'CreateNote',
  'EditNote',
  'DeleteNote',
  'EditContact',
  'CreateContact',
] as const;
export const ChangeKind = z.enum(changeKinds);
export type ChangeKind = z.infer<typeof ChangeKind>;

/** What each kind of change does, in the words the Changes and Audit screens use. */
export const changeKindLabels: Readonly<Record<ChangeKind, string>> = {
  CreateEvent: 'New event',
  EditEvent: 'Update event',
  DeleteEvent: 'Delete event',
  CreateNote: 'New note',
  EditNote: 'Update note',
  DeleteNote: 'Delete note',
  EditContact: 'Update fields',
  CreateContact: 'New contact',
};

/** States in which a change still waits for the advisor or the outbox. */
export const openChangeStates = ['proposed', 'approved', 'pushing', 'failed'] as const;

/** Placeholders the review-note template may use; anything else is left as typed. */
export const notePlaceholders = {
  client: 'the client’s name',
  date: 'the meeting date, e.g. March 14, 2026',
  time: 'the start time, e.g. 10:00 AM',
  title: 'the booking’s title',
  type: 'the event type, e.g. Annual review',
  source: 'Cal.com, Calendly or TidyCal',
  duration: 'length in minutes',
} as const;
export type NotePlaceholder = keyof typeof notePlaceholders;

/** Placeholders in `template` that Cadence does not know (to warn while the advisor types). */
export function unknownNotePlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(/\{([^{}\s]{1,40})\}/g)) {
    const name = match[1]!;
    if (!Object.prototype.hasOwnProperty.call(notePlaceholders, name)) unknown.add(name);
  }
  return [...unknown];
}

/** The facts Cadence can write to the advisor's own LACRM fields, and the type each needs. */
export const crmFacts = {
  lastReview: { setting: 'lacrm.fields.lastReview', label: 'Last portfolio review', type: 'Date' },
  nextReviewDue: { setting: 'lacrm.fields.nextReviewDue', label: 'Next review due', type: 'Date' },
  meetings12m: {
    setting: 'lacrm.fields.meetings12m',
    label: 'Meetings last 12 months',
    type: 'Number',
  },
} as const;
export type CrmFact = keyof typeof crmFacts;
export const CrmFact = z.enum(Object.keys(crmFacts) as [CrmFact, ...CrmFact[]]);

const Count = z.number().int().nonnegative();
const ChangeCounts = z.object(
  Object.fromEntries(changeStates.map((s) => [s, Count])) as Record<ChangeState, typeof Count>,
);
export type ChangeCounts = z.infer<typeof ChangeCounts>;

/** One field of a change, before → after, as text to show (null: empty or absent). */
export const FieldDiff = z.object({
  field: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  changed: z.boolean(),
});
export type FieldDiff = z.infer<typeof FieldDiff>;

export const ChangeView = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: ChangeKind,
  state: ChangeState,
  /** The group it is listed under: a contact id, 'new' (contacts to create) or 'undo:<batch>'. */
  group: z.string(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  bookingSource: BookingSource.nullable(),
  /** The booking's id at its source (Cal.com uid, Calendly event URI, TidyCal id). */
  bookingId: z.string().nullable(),
  summary: z.string(),
  fields: z.array(FieldDiff),
  /** The LACRM id the change produced (or acted on, for edits and deletes) once pushed. */
  lacrmId: z.string().nullable(),
  targetId: z.string().nullable(),
  marker: z.string().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  reason: z.string().nullable(),
  batchId: z.number().int().nullable(),
  undoOf: z.number().int().nullable(),
  undoBatchId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  pushedAt: z.string().nullable(),
});
export type ChangeView = z.infer<typeof ChangeView>;

export const ChangeGroup = z.object({
  key: z.string(),
  type: z.enum(['contact', 'new_contacts', 'undo']),
  contactId: z.string().nullable(),
  name: z.string(),
  counts: ChangeCounts,
  total: Count,
});
export type ChangeGroup = z.infer<typeof ChangeGroup>;

export const PushProgress = z.object({
  batchId: z.number().int(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed', 'interrupted']),
  total: Count,
  done: Count,
  pushed: Count,
  failed: Count,
  current: z
    .object({ changeId: z.number().int(), kind: ChangeKind, summary: z.string() })
    .nullable(),
  /** A rate-limit or backoff wait under way, in ms. */
  waitMs: z.number().nullable(),
  message: z.string().nullable(),
});
export type PushProgress = z.infer<typeof PushProgress>;

export const PushBatchView = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  state: PushProgress.shape.state,
  actor: z.string(),
  total: Count,
  pushed: Count,
  failed: Count,
  message: z.string().nullable(),
  /** Whether every change in it is itself an undo. */
  isUndo: z.boolean(),
  undoRequestedAt: z.string().nullable(),
  /** Null when an undo can be proposed; otherwise why not. */
  undoBlocked: z.string().nullable(),
});
export type PushBatchView = z.infer<typeof PushBatchView>;

export const PlanOutcome = z.object({
  at: z.string(),
  proposed: Count,
  updated: Count,
  reproposed: Count,
  withdrawn: Count,
  unchanged: Count,
  ms: z.number(),
});
export type PlanOutcome = z.infer<typeof PlanOutcome>;

export const ChangesSummary = z.object({
  counts: ChangeCounts,
  /** Approved changes: what the next push writes. */
  willWrite: z.object({ total: Count, byKind: z.record(ChangeKind, Count) }),
  groups: z.array(ChangeGroup),
  batches: z.array(PushBatchView),
  push: PushProgress.nullable(),
  lastPlan: PlanOutcome.nullable(),
  lacrmConnected: z.boolean(),
});
export type ChangesSummary = z.infer<typeof ChangesSummary>;

const StateFilter = z.array(ChangeState).min(1).max(changeStates.length).optional();
const GroupKey = z
  .string()
  .trim()
  .regex(/^(?:\d{1,40}|new|undo:\d{1,12})$/, 'must be a contact id, "new" or "undo:<batch>"');

/** Which changes a decision is about: some by id, one group (a contact's), or all proposed. */
export const ChangeSelector = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(20_000) }).strict(),
  z.object({ group: GroupKey }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type ChangeSelector = z.infer<typeof ChangeSelector>;

export const DecisionResult = z.object({
  /** Changes whose state changed. */
  changed: Count,
  ids: z.array(z.number().int()),
  /** Changes named by id that were not in a state this decision applies to. */
  skipped: z.array(z.object({ id: z.number().int(), reason: z.string() })),
});
export type DecisionResult = z.infer<typeof DecisionResult>;

export const PushOutcome = z.object({
  batchId: z.number().int(),
  state: PushProgress.shape.state,
  total: Count,
  pushed: Count,
  failed: Count,
  message: z.string().nullable(),
});
export type PushOutcome = z.infer<typeof PushOutcome>;

export const UndoOutcome = z.object({
  batchId: z.number().int(),
  /** The compensating changes, proposed and waiting for approval. */
  changeIds: z.array(z.number().int()),
  notUndoable: z.array(z.object({ changeId: z.number().int(), reason: z.string() })),
});
export type UndoOutcome = z.infer<typeof UndoOutcome>;

export const FieldCheck = z.object({
  /** The contact fields LACRM has (live ones), for picking a name. */
  available: z.array(z.object({ name: z.string(), type: z.string() })),
  checks: z.array(
    z.object({
      fact: CrmFact,
      label: z.string(),
      expectedType: z.string(),
      ok: z.boolean(),
      problem: z.string().nullable(),
    }),
  ),
});
export type FieldCheck = z.infer<typeof FieldCheck>;

/**
 * Whom and what an entry concerns, looked up when the log is listed (never stored: the log keeps
 * ids, so what a name reads today may differ from the day of the entry). Null when the entry does
 * not concern one, or the record is gone.
 */
export const AuditAbout = z.object({
  /** The LACRM contact the entry concerns, and its name in the synced contact list. */
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  /** The booking's attendee a matching decision was about, as the scheduler gave the name. */
  attendeeName: z.string().nullable(),
  /** The meeting (booking) the entry concerns: its title and start, ISO 8601 UTC. */
  meetingTitle: z.string().nullable(),
  meetingStart: z.string().nullable(),
  /** The change's own one-line summary, as the Changes screen shows it. */
  changeSummary: z.string().nullable(),
  /** For match.undo: what the undone decision was (confirm, reject, ignore, request_contact). */
  undoneDecision: z.string().nullable(),
});
export type AuditAbout = z.infer<typeof AuditAbout>;

export const AuditEntryView = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.record(z.string(), z.json()).nullable(),
  lacrmId: z.string().nullable(),
  hash: z.string(),
  prevHash: z.string(),
  /** Added later, so optional: whom and what the entry concerns, for reading it (not evidence). */
  about: AuditAbout.optional(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditVerdict = z.object({
  ok: z.boolean(),
  entries: Count,
  headHash: z.string().nullable(),
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerdict = z.infer<typeof AuditVerdict>;

const AuditAction = z
  .string()
  .trim()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'must look like domain.verb');

export const changesMethods = {
  /** Counts, groups (by contact), recent push batches and a push under way. */
  'changes:summary': method(
    z.object({ states: StateFilter }).strict().optional().default({}),
    ChangesSummary,
  ),
  /** Changes in a group (or all), oldest first; open ones unless `states` says otherwise. */
  'changes:list': method(
    z
      .object({
        states: StateFilter,
        group: GroupKey.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict()
      .optional()
      .default({ offset: 0, limit: 500 }),
    z.object({ total: Count, changes: z.array(ChangeView) }),
  ),
  /** Recomputes the plan from bookings, matches and classifications now. */
  'changes:plan': method(z.object({}).strict().optional().default({}), PlanOutcome),
  /** Approves proposed changes (and, by id, failed ones again). Nothing is written yet. */
  'changes:approve': method(ChangeSelector, DecisionResult),
  'changes:reject': method(ChangeSelector, DecisionResult),
  /** Pushes every approved change to LACRM, in order; progress arrives as changes:progress. */
  'changes:push': method(z.object({}).strict().optional().default({}), PushOutcome),
  /** Stops the push after the call in flight. */
  'changes:cancel': method(
    z.object({}).strict().optional().default({}),
    z.object({ cancelled: z.boolean() }),
  ),
  /** Proposes the compensating changes that undo a push batch (they still need approval). */
  'changes:undo': method(z.object({ batchId: z.number().int().positive() }).strict(), UndoOutcome),
  /** Checks the CRM field mapping against LACRM's GetCustomFields. */
  'changes:checkFields': method(z.object({}).strict().optional().default({}), FieldCheck),
  'audit:list': method(
    z
      .object({
        limit: z.number().int().min(1).max(1000).default(100),
        beforeId: z.number().int().positive().optional(),
        action: AuditAction.optional(),
      })
      .strict()
      .optional()
      .default({ limit: 100 }),
    z.object({ entries: z.array(AuditEntryView), total: Count }),
  ),
  'audit:verify': method(z.object({}).strict().optional().default({}), AuditVerdict),
  /** The log as JSON Lines for an examiner, with its SHA-256 (the renderer saves it). */
  'audit:export': method(
    z.object({}).strict().optional().default({}),
    z.object({
      fileName: z.string(),
      text: z.string(),
      sha256: z.string(),
      entries: Count,
      verified: z.boolean(),
    }),
  ),
} as const;

export const changesEvents = {
  'changes:progress': PushProgress,
  'changes:changed': z.object({ reason: z.string() }),
} as const;
