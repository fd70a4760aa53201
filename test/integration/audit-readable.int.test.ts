// The audit log as the Audit screen reads it, through the core with the real encrypted store, the
// keychain and the LACRM simulator: audit:list names the client and the meeting of a matching
// decision, of its undo and of a write to LACRM, while the stored entries, the chain and the
// examiner's export keep ids only.
import { describe, expect, it } from 'vitest';
import { describeAuditEntry } from '../../src/shared/audit-describe';
import { arrive, attendeeId, booking, ids, setup } from './match-fixtures';

describe('audit:list', () => {
  it('names the client and the meeting an entry concerns, and stores and exports ids only', async () => {
    const { core } = await setup();
    const meeting = booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }], {
      start: '2026-02-03T15:00:00.000Z',
    });
    await arrive(core, meeting);
    const attendee = attendeeId(core, meeting.sourceId, 'bob.smith.home@mail.example');

    // A decision, its undo, the decision again; then its meeting is logged in LACRM.
    await core.call('matches:confirm', { attendeeId: attendee, contactId: ids.robert });
    await core.call('matches:undo', {});
    await core.call('matches:confirm', { attendeeId: attendee, contactId: ids.robert });
    await core.call('changes:plan', {});
    const approved = await core.call('changes:approve', { all: true });
    expect(approved.changed).toBeGreaterThan(0);
    const pushed = await core.call('changes:push', {});
    expect(pushed.failed).toBe(0);

    const { entries } = await core.call('audit:list', { limit: 100 });
    const oldest = (action: string) => {
      const found = entries.findLast((e) => e.action === action);
      expect(found, action).toBeDefined();
      return found!;
    };

    const confirm = oldest('match.confirm');
    expect(confirm.about).toEqual({
      contactId: ids.robert,
      contactName: 'Robert Smith',
      attendeeName: 'Bob Smith',
      meetingTitle: meeting.title,
      meetingStart: '2026-02-03T15:00:00.000Z',
      changeSummary: null,
      undoneDecision: null,
    });
    expect(describeAuditEntry(confirm)).toEqual({
      what: 'Matched an attendee to a contact',
      about: `Robert Smith · attendee Bob Smith · ${meeting.title}, 2026-02-03 15:00 UTC`,
      details: [],
    });
    // The undo's entry records only the decision's id; the listing finds whom it was about.
    const undo = oldest('match.undo');
    expect(undo.detail).toEqual({});
    expect(undo.about).toMatchObject({ contactName: 'Robert Smith', undoneDecision: 'confirm' });
    expect(describeAuditEntry(undo).details).toEqual([
      { label: 'Undid', value: 'the match to a contact' },
    ]);

    const written = oldest('push.event_created');
    expect(written.lacrmId).toMatch(/^\d{10,}$/);
    expect(written.about).toMatchObject({
      contactId: ids.robert,
      contactName: 'Robert Smith',
      meetingTitle: meeting.title,
    });
    expect(written.about?.changeSummary).toContain(meeting.title);
    const line = describeAuditEntry(written);
    expect(line.about).toMatch(new RegExp(`^Robert Smith · New event: ${meeting.title} · `));
    // The approval names the client too (its entry holds the change's id only).
    expect(oldest('change.approved').about?.contactName).toBe('Robert Smith');
    // A push as a whole concerns no one client.
    expect(oldest('push.started').about).toMatchObject({ contactId: null, contactName: null });

    // Nothing looked up is stored or exported: the log and its export hold ids, and still verify.
    const stored = core.context
      .db()
      .prepare('SELECT detail_json FROM audit_log')
      .pluck()
      .all() as string[];
    for (const text of stored) expect(text).not.toMatch(/Robert Smith|Bob Smith/);
    const exported = await core.call('audit:export', {});
    expect(exported.verified).toBe(true);
    expect(exported.text).not.toMatch(/Robert Smith|Bob Smith|contactName|"about"/);
    expect((await core.call('audit:verify', {})).ok).toBe(true);
  });
});
