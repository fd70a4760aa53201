// Each audit action read as a line: the details as the code records them (see each appendAudit
// call) and the names audit:list looks up, in words, with no codes or JSON left for the reader.
import { describe, expect, it } from 'vitest';
import {
  auditActorLabel,
  describeAuditEntry,
  type AuditLine,
  type KnownAuditAction,
} from './audit-describe';
import type { AuditAbout, AuditEntryView } from './contract-changes';

const ROBERT = '3000000153308785487264953604505';
const NOBODY: AuditAbout = {
  contactId: null,
  contactName: null,
  attendeeName: null,
  meetingTitle: null,
  meetingStart: null,
  changeSummary: null,
  undoneDecision: null,
};

function entry(
  action: string,
  subjectType: string | null,
  subjectId: string | null,
  detail: AuditEntryView['detail'],
  about: Partial<AuditAbout> | null = null,
): AuditEntryView {
  return {
    id: 1,
    at: '2026-11-26T18:03:00.000Z',
    actor: 'advisor',
    action,
    subjectType,
    subjectId,
    detail,
    lacrmId: null,
    hash: 'a'.repeat(64),
    prevHash: 'b'.repeat(64),
    ...(about ? { about: { ...NOBODY, ...about } } : {}),
  };
}

const robert = { contactId: ROBERT, contactName: 'Robert Smith' };
const review = { meetingTitle: 'Portfolio review', meetingStart: '2026-02-03T15:00:00.000Z' };
const event = { ...robert, changeSummary: 'Portfolio review · 2026-02-03' };
const fields = { ...robert, changeSummary: 'Update Last portfolio review' };

/** Every action with what the code records for it, and the line it must read as. */
const cases: Readonly<Record<KnownAuditAction, readonly [AuditEntryView, AuditLine]>> = {
  'match.confirm': [
    entry(
      'match.confirm',
      'match_decision',
      '1',
      { attendeeId: 970, batchId: null, contactId: ROBERT },
      { ...robert, attendeeName: 'Bob Smith', ...review },
    ),
    {
      what: 'Matched an attendee to a contact',
      about: 'Robert Smith · attendee Bob Smith · Portfolio review, 2026-02-03 15:00 UTC',
      details: [],
    },
  ],
  'match.reject': [
    entry(
      'match.reject',
      'match_decision',
      '2',
      { attendeeId: 391, batchId: 4, contactId: ROBERT },
      { ...robert, attendeeName: 'Liz Taylor', ...review },
    ),
    {
      what: 'Ruled out a contact for an attendee',
      about: 'Robert Smith · attendee Liz Taylor · Portfolio review, 2026-02-03 15:00 UTC',
      details: [{ label: 'Decided', value: 'in one go with others (bulk accept #4)' }],
    },
  ],
  'match.ignore': [
    entry(
      'match.ignore',
      'match_decision',
      '3',
      { attendeeId: 12, batchId: null, contactId: null },
      { attendeeName: 'Quentin Zylberstein', ...review },
    ),
    {
      what: 'Ignored an attendee’s address',
      about: 'attendee Quentin Zylberstein · Portfolio review, 2026-02-03 15:00 UTC',
      details: [],
    },
  ],
  'match.request_contact': [
    entry(
      'match.request_contact',
      'match_decision',
      '4',
      { attendeeId: 13, batchId: null, contactId: null },
      { attendeeName: 'Nina New', ...review },
    ),
    {
      what: 'Asked for a new LACRM contact',
      about: 'attendee Nina New · Portfolio review, 2026-02-03 15:00 UTC',
      details: [],
    },
  ],
  'match.undo': [
    entry(
      'match.undo',
      'match_decision',
      '1',
      {},
      { ...robert, attendeeName: 'Bob Smith', ...review, undoneDecision: 'confirm' },
    ),
    {
      what: 'Undid a matching decision',
      about: 'Robert Smith · attendee Bob Smith · Portfolio review, 2026-02-03 15:00 UTC',
      details: [{ label: 'Undid', value: 'the match to a contact' }],
    },
  ],
  'change.approved': [
    entry(
      'change.approved',
      'change',
      '449',
      { kind: 'EditContact', key: `fields:${ROBERT}`, from: 'proposed', scope: 'group' },
      fields,
    ),
    {
      what: 'Approved a change',
      about: 'Robert Smith · Update Last portfolio review',
      details: [
        { label: 'Was', value: 'proposed' },
        { label: 'Decided', value: 'with the rest of its group at once' },
        { label: 'Change', value: '#449' },
      ],
    },
  ],
  'change.rejected': [
    entry(
      'change.rejected',
      'change',
      '450',
      { kind: 'DeleteEvent', key: 'event:calcom:x', from: 'proposed', undoOf: 58 },
      { ...robert, changeSummary: 'Undo: Portfolio review · 2026-02-03' },
    ),
    {
      what: 'Rejected a change',
      about: 'Robert Smith · Delete event (undo): Portfolio review · 2026-02-03',
      details: [
        { label: 'Was', value: 'proposed' },
        { label: 'Undoes', value: 'change #58' },
        { label: 'Change', value: '#450' },
      ],
    },
  ],
  'change.reproposed': [
    entry(
      'change.reproposed',
      'change',
      '58',
      {
        kind: 'CreateEvent',
        key: 'event:calcom:x',
        from: 'approved',
        reason: 'The meeting moved.',
      },
      event,
    ),
    {
      what: 'Change proposed again (its inputs changed)',
      about: 'Robert Smith · New event: Portfolio review · 2026-02-03',
      details: [
        { label: 'Was', value: 'approved' },
        { label: 'Why', value: 'The meeting moved.' },
        { label: 'Change', value: '#58' },
      ],
    },
  ],
  'change.withdrawn': [
    entry(
      'change.withdrawn',
      'change',
      '59',
      { kind: 'CreateNote', key: 'note:x', from: 'failed', reason: 'Withdrawn: no longer needed.' },
      { ...robert, changeSummary: 'Review note · 2026-02-03' },
    ),
    {
      what: 'Change withdrawn (no longer needed)',
      about: 'Robert Smith · New note: Review note · 2026-02-03',
      details: [
        { label: 'Was', value: 'failed' },
        { label: 'Why', value: 'Withdrawn: no longer needed.' },
        { label: 'Change', value: '#59' },
      ],
    },
  ],
  'change.undone': [
    entry('change.undone', 'change', '58', { by: 460, batchId: 2 }, event),
    {
      what: 'Change undone in LACRM',
      about: 'Robert Smith · Portfolio review · 2026-02-03',
      details: [
        { label: 'Undone by', value: 'change #460' },
        { label: 'Push', value: '#2' },
        { label: 'Change', value: '#58' },
      ],
    },
  ],
  'undo.requested': [
    entry('undo.requested', 'push_batch', '1', {
      proposed: [460, 461],
      notUndoable: [{ changeId: 57, reason: 'LACRM has no way to delete a contact.' }],
    }),
    {
      what: 'Asked to undo a push',
      about: 'push #1',
      details: [
        {
          label: 'Proposed',
          value: '2 compensating changes (#460, #461), to approve before they are written',
        },
        { label: 'Cannot be undone', value: 'change #57: LACRM has no way to delete a contact.' },
      ],
    },
  ],
  'push.started': [
    entry('push.started', 'push_batch', '1', { changes: 4 }),
    {
      what: 'Push to LACRM started',
      about: 'push #1',
      details: [{ label: 'Changes', value: '4' }],
    },
  ],
  'push.finished': [
    entry('push.finished', 'push_batch', '1', {
      state: 'partial',
      total: 4,
      pushed: 3,
      failed: 1,
    }),
    {
      what: 'Push to LACRM finished',
      about: 'push #1',
      details: [
        { label: 'Result', value: 'some changes could not be written' },
        { label: 'Written', value: '3 of 4' },
        { label: 'Failed', value: '1' },
      ],
    },
  ],
  'push.failed': [
    entry(
      'push.failed',
      'change',
      '61',
      {
        kind: 'CreateEvent',
        key: 'event:calcom:y',
        batchId: 1,
        attempts: 1,
        code: 'timeout',
        error: 'LACRM did not answer in time.',
        outcomeUnknown: true,
      },
      event,
    ),
    {
      what: 'A write to LACRM failed',
      about: 'Robert Smith · New event: Portfolio review · 2026-02-03',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Attempt', value: '1' },
        { label: 'Error', value: 'LACRM did not answer in time.' },
        { label: 'Error code', value: 'timeout' },
        { label: 'Outcome', value: 'unknown: LACRM may have received it' },
        { label: 'Change', value: '#61' },
      ],
    },
  ],
  'push.event_created': [
    entry(
      'push.event_created',
      'change',
      '58',
      {
        kind: 'CreateEvent',
        key: 'event:calcom:x',
        batchId: 1,
        attempts: 2,
        contactId: ROBERT,
        booking: 'calcom:x',
        adopted: true,
        duplicatesFound: 0,
      },
      event,
    ),
    {
      what: 'Created an event in LACRM',
      about: 'Robert Smith · New event: Portfolio review · 2026-02-03',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Booking', value: 'calcom:x' },
        {
          label: 'Note',
          value:
            'an earlier attempt had already written it; that record was kept, not written twice',
        },
        { label: 'Attempt', value: '2' },
        { label: 'Change', value: '#58' },
      ],
    },
  ],
  'push.event_updated': [
    entry(
      'push.event_updated',
      'change',
      '62',
      { kind: 'EditEvent', key: 'event:calcom:x', batchId: 1, attempts: 1, contactId: ROBERT },
      event,
    ),
    {
      what: 'Updated an event in LACRM',
      about: 'Robert Smith · Update event: Portfolio review · 2026-02-03',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Change', value: '#62' },
      ],
    },
  ],
  'push.event_deleted': [
    entry(
      'push.event_deleted',
      'change',
      '460',
      {
        kind: 'DeleteEvent',
        key: 'event:calcom:x',
        batchId: 2,
        attempts: 1,
        contactId: ROBERT,
        alreadyGone: true,
        undoOf: 58,
      },
      { ...robert, changeSummary: 'Undo: Portfolio review · 2026-02-03' },
    ),
    {
      what: 'Deleted an event in LACRM',
      about: 'Robert Smith · Delete event (undo): Portfolio review · 2026-02-03',
      details: [
        { label: 'Undoes', value: 'change #58' },
        { label: 'Push', value: '#2' },
        { label: 'Note', value: 'it was already gone from LACRM' },
        { label: 'Change', value: '#460' },
      ],
    },
  ],
  'push.note_created': [
    entry(
      'push.note_created',
      'change',
      '63',
      { kind: 'CreateNote', key: 'note:x', batchId: 1, attempts: 1, contactId: ROBERT },
      { ...robert, changeSummary: 'Review note · 2026-02-03' },
    ),
    {
      what: 'Created a note in LACRM',
      about: 'Robert Smith · New note: Review note · 2026-02-03',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Change', value: '#63' },
      ],
    },
  ],
  'push.note_updated': [
    entry(
      'push.note_updated',
      'change',
      '64',
      { kind: 'EditNote', key: 'note:x', batchId: 1, attempts: 1 },
      { changeSummary: 'Review note · 2026-02-03' },
    ),
    {
      what: 'Updated a note in LACRM',
      about: 'Update note: Review note · 2026-02-03',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Change', value: '#64' },
      ],
    },
  ],
  'push.note_deleted': [
    entry('push.note_deleted', 'change', '65', {
      kind: 'DeleteNote',
      key: 'note:x',
      batchId: 1,
      attempts: 1,
    }),
    {
      what: 'Deleted a note in LACRM',
      about: 'Delete note',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Change', value: '#65' },
      ],
    },
  ],
  'push.contact_updated': [
    entry(
      'push.contact_updated',
      'change',
      '449',
      {
        kind: 'EditContact',
        key: `fields:${ROBERT}`,
        batchId: 1,
        attempts: 1,
        contactId: ROBERT,
        fields: { 'Last portfolio review': '2026-02-03', 'Next review due': null },
      },
      fields,
    ),
    {
      what: 'Updated contact fields in LACRM',
      about: 'Robert Smith · Update Last portfolio review',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Fields', value: 'Last portfolio review: 2026-02-03; Next review due: none' },
        { label: 'Change', value: '#449' },
      ],
    },
  ],
  'push.contact_created': [
    entry(
      'push.contact_created',
      'change',
      '66',
      { kind: 'CreateContact', key: 'contact:request:3', batchId: 1, attempts: 1 },
      { changeSummary: 'New contact: Nina New' },
    ),
    {
      what: 'Created a contact in LACRM',
      about: 'New contact: Nina New',
      details: [
        { label: 'Push', value: '#1' },
        { label: 'Change', value: '#66' },
      ],
    },
  ],
  'report.exported': [
    entry('report.exported', 'report_export', '2', {
      report: 'compliance',
      format: 'pdf',
      periodFrom: '2025-11-27',
      periodTo: '2026-11-26',
      sha256: '4f013ca8'.repeat(8),
      bytes: 62979,
      clients: 96,
      reviews: 90,
    }),
    {
      what: 'Exported a compliance report',
      about: 'Compliance report, 2025-11-27 – 2026-11-26',
      details: [
        { label: 'Format', value: 'PDF' },
        { label: 'Clients', value: '96' },
        { label: 'Reviews', value: '90' },
        { label: 'Size', value: '62,979 bytes' },
        { label: 'SHA-256', value: '4f013ca8'.repeat(8) },
      ],
    },
  ],
  'classification.override_set': [
    entry(
      'classification.override_set',
      'booking',
      '77',
      { category: 'portfolio_review', previous: null },
      review,
    ),
    {
      what: 'Set a meeting’s category by hand',
      about: 'Portfolio review, 2026-02-03 15:00 UTC',
      details: [
        { label: 'Category', value: 'Portfolio review' },
        { label: 'Before', value: 'as the rules decided' },
      ],
    },
  ],
  'classification.override_cleared': [
    entry('classification.override_cleared', 'booking', '77', { previous: 'tax_planning' }),
    {
      what: 'Cleared a meeting’s hand-set category',
      about: 'booking #77',
      details: [
        { label: 'Was', value: 'Tax planning' },
        { label: 'Now', value: 'as the rules decide' },
      ],
    },
  ],
  'classification.rules_saved': [
    entry('classification.rules_saved', 'rule_set', '3', {
      version: 3,
      previousVersion: 2,
      rules: 5,
      classified: 1200,
      changed: 14,
    }),
    {
      what: 'Saved the category rules',
      about: 'rules version 3',
      details: [
        { label: 'Replaces', value: 'version 2' },
        { label: 'Rules', value: '5' },
        { label: 'Meetings classified again', value: '1,200' },
        { label: 'Meetings whose category changed', value: '14' },
      ],
    },
  ],
  'policy.contact_cadence_set': [
    entry(
      'policy.contact_cadence_set',
      'contact',
      ROBERT,
      { cadenceMonths: 6, previous: null },
      robert,
    ),
    {
      what: 'Set a client’s review cadence',
      about: 'Robert Smith',
      details: [
        { label: 'Review every', value: '6 months' },
        { label: 'Before', value: 'the client’s group or the default' },
      ],
    },
  ],
  'policy.group_cadence_set': [
    entry('policy.group_cadence_set', 'review_group', '2', {
      field: 'Tier',
      value: 'A',
      cadenceMonths: 3,
      previous: 6,
    }),
    {
      what: 'Set a review group’s cadence',
      about: 'review group Tier = A',
      details: [
        { label: 'Review every', value: '3 months' },
        { label: 'Before', value: '6 months' },
      ],
    },
  ],
  'policy.group_removed': [
    entry('policy.group_removed', 'review_group', '2', {
      field: 'Tier',
      value: 'A',
      cadenceMonths: 1,
    }),
    {
      what: 'Removed a review group',
      about: 'review group Tier = A',
      details: [{ label: 'Was every', value: '1 month' }],
    },
  ],
};

function allText(line: AuditLine): string {
  return [line.what, line.about ?? '', ...line.details.flatMap((d) => [d.label, d.value])].join(
    '\n',
  );
}

describe('describeAuditEntry', () => {
  it.each(Object.entries(cases))('reads %s as a line', (_action, [stored, expected]) => {
    const line = describeAuditEntry(stored);
    expect(line).toEqual(expected);
    // Words only: no JSON, no action codes, no keys in camelCase.
    expect(allText(line)).not.toMatch(/[{}[\]"]|[a-z]+\.[a-z_]+|\b[a-z]+[A-Z][a-z]+/);
  });

  it('says a contact that is no longer in the synced list by its LACRM id', () => {
    const line = describeAuditEntry(
      entry(
        'policy.contact_cadence_set',
        'contact',
        ROBERT,
        { cadenceMonths: null, previous: 6 },
        {
          contactId: ROBERT,
        },
      ),
    );
    expect(line.about).toBe(`LACRM contact ${ROBERT} (not in the synced contacts)`);
    expect(line.details).toEqual([
      { label: 'Review every', value: 'as the client’s group or the default says' },
      { label: 'Before', value: '6 months' },
    ]);
  });

  it('says what it does not know plainly: a detail added later, an action of a newer version', () => {
    const newer = describeAuditEntry(
      entry('push.started', 'push_batch', '5', {
        changes: 2,
        dryRun: false,
        origin: { via: 'cli' },
      }),
    );
    expect(newer.details).toEqual([
      { label: 'Changes', value: '2' },
      { label: 'Dry run', value: 'no' },
      { label: 'Origin', value: 'Via: cli' },
    ]);
    const unknown = describeAuditEntry(
      entry('sync.completed', 'sync_run', '9', { fetched: 12, sources: ['calcom', 'lacrm'] }),
    );
    expect(unknown).toEqual({
      what: 'sync.completed',
      about: 'sync run #9',
      details: [
        { label: 'Fetched', value: '12' },
        { label: 'Sources', value: 'calcom, lacrm' },
      ],
    });
    // A tampered row whose detail is not an object: said, not hidden.
    expect(describeAuditEntry(entry('push.started', 'push_batch', '5', null)).details).toEqual([
      { label: 'Detail', value: 'unreadable (not a JSON object)' },
    ]);
  });

  it('formats dates as the caller says (the screen: the advisor’s locale)', () => {
    const [stored] = cases['report.exported'];
    const line = describeAuditEntry(stored, {
      dateTime: (iso) => `at ${iso}`,
      date: (day) => `day ${day}`,
    });
    expect(line.about).toBe('Compliance report, day 2025-11-27 – day 2026-11-26');
  });

  it('names who did it', () => {
    expect(auditActorLabel('advisor')).toBe('Advisor');
    expect(auditActorLabel('cli')).toBe('Advisor (command line)');
    expect(auditActorLabel('system')).toBe('Cadence (automatic)');
    expect(auditActorLabel('someone-else')).toBe('someone-else');
  });
});
