// The change plan and the outbox against a generated practice and the strict LACRM simulator: the
// plan proposes one event per held matched meeting (re-planning changes nothing), a contact's
// changes are approved and pushed exactly once with their LACRM ids, undo restores the previous
// field values (an empty field blanked with null), an approved change whose meeting changed goes
// back to proposed, pushed meetings that change or stop being held get EditEvent/DeleteEvent, and
// a renamed LACRM field fails with a sentence and succeeds on retry.
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../src/main/audit';
import type { Core } from '../../src/main/core/core';
import { policySettings } from '../../src/main/metrics/policy';
import { allContactMetrics } from '../../src/main/metrics/queries';
import { changeRows, PRACTICE_NOW, startPushWorld, type PushWorld } from './push-fixtures';

let pw: PushWorld | null = null;
afterEach(async () => {
  await pw?.close();
  pw = null;
});

async function syncedWorld(options: Parameters<typeof startPushWorld>[0] = {}) {
  pw = await startPushWorld(options);
  const outcome = await pw.core.call('sync:run', {});
  for (const r of outcome.results) expect(r.state, `${r.source}: ${r.error?.message}`).toBe('ok');
  return pw;
}

function open(core: Core, contactId: string) {
  return changeRows(
    core,
    "contact_id = ? AND state IN ('proposed', 'approved', 'pushing', 'failed')",
    contactId,
  );
}

function fields(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

/** Held, current bookings with at least one automatically or advisor-matched live contact. */
function heldMatchedBookings(core: Core): number {
  return (
    core.context
      .db()
      .prepare(
        `SELECT count(*) AS n FROM bookings b
          WHERE b.superseded_by IS NULL AND b.status IN ('scheduled', 'completed') AND b.end_utc <= ?
            AND EXISTS (SELECT 1 FROM attendees a WHERE a.booking_id = b.id AND a.no_show = 0 AND a.cancelled = 0)
            AND EXISTS (SELECT 1 FROM attendees a JOIN matches m ON m.attendee_id = a.id
                          JOIN contacts c ON c.contact_id = m.contact_id AND c.removed = 0
                         WHERE a.booking_id = b.id AND m.state IN ('auto', 'confirmed'))`,
      )
      .get(PRACTICE_NOW.toISOString()) as { n: number }
  ).n;
}

describe('the plan', () => {
  it('proposes one event per held matched meeting, with its offset, and re-plans in place', async () => {
    const { core } = await syncedWorld();
    const events = changeRows(core, "kind = 'CreateEvent'");
    expect(events.length).toBeGreaterThan(300);
    expect(events.length).toBe(heldMatchedBookings(core));
    expect(new Set(events.map((e) => e.change_key)).size).toBe(events.length);
    expect(new Set(events.map((e) => e.marker)).size).toBe(events.length);

    // Start and end carry the booking's own UTC offset, at the same instant as the booking.
    const db = core.context.db();
    for (const event of events.slice(0, 200)) {
      const booking = db
        .prepare(
          'SELECT start_utc, end_utc, time_zone FROM bookings WHERE source = ? AND source_id = ?',
        )
        .get(event.booking_source, event.booking_source_id) as {
        start_utc: string;
        end_utc: string;
        time_zone: string | null;
      };
      const after = fields(event.after_json);
      const start = DateTime.fromISO(after.StartDate as string, { setZone: true });
      expect(start.toMillis()).toBe(Date.parse(booking.start_utc));
      expect(Date.parse(after.EndDate as string)).toBe(Date.parse(booking.end_utc));
      const zone = booking.time_zone ?? 'America/New_York';
      expect(start.offset).toBe(DateTime.fromISO(booking.start_utc).setZone(zone).offset);
      expect(after.Description).toContain(event.marker);
      expect(after.Attendees).toContain(event.contact_id);
    }

    // Field values are the metrics stage's own figures.
    const metrics = new Map(
      allContactMetrics(db, { ...policySettings(core.context.settings()), now: PRACTICE_NOW }).map(
        (m) => [m.contactId, m],
      ),
    );
    const edits = changeRows(core, "kind = 'EditContact'");
    expect(edits.length).toBeGreaterThan(20);
    for (const edit of edits) {
      const after = fields(edit.after_json);
      const m = metrics.get(edit.contact_id!)!;
      if ('Last portfolio review' in after)
        expect(after['Last portfolio review']).toBe(m.lastReview);
      if ('Next review due' in after) expect(after['Next review due']).toBe(m.nextReviewDue);
      if ('Meetings last 12 months' in after)
        expect(after['Meetings last 12 months']).toBe(m.meetings365);
    }

    const total = changeRows(core).length;
    const again = await core.call('changes:plan', {});
    expect(again).toMatchObject({ proposed: 0, updated: 0, reproposed: 0, withdrawn: 0 });
    expect(again.unchanged).toBe(total);
    expect(changeRows(core).length).toBe(total);
  }, 60_000);
});

describe('approve, push, undo', () => {
  it('writes a contact’s changes exactly once and undo restores the previous values', async () => {
    const { core, lacrm } = await syncedWorld();
    // A contact whose review date LACRM already holds (restored by value) and whose meetings
    // field is empty (restored by sending null), with at least two meetings to log.
    const edit = changeRows(core, "kind = 'EditContact'").find((row) => {
      const before = fields(row.before_json);
      return (
        typeof before['Last portfolio review'] === 'string' &&
        before['Meetings last 12 months'] === null &&
        changeRows(core, "kind = 'CreateEvent' AND contact_id = ?", row.contact_id).length >= 2
      );
    });
    expect(edit, 'the practice has a contact with a stale review date').toBeDefined();
    const contactId = edit!.contact_id!;
    const original = lacrm.contact(contactId)!;
    const summary = await core.call('changes:summary', {});
    const group = summary.groups.find((g) => g.key === contactId)!;
    expect(group.counts.proposed).toBe(open(core, contactId).length);

    const approved = await core.call('changes:approve', { group: contactId });
    expect(approved.changed).toBe(group.counts.proposed);
    expect((await core.call('changes:summary', {})).willWrite.total).toBe(approved.changed);

    const progress: string[] = [];
    const off = core.subscribe((event, payload) => {
      if (event === 'changes:progress') progress.push((payload as { state: string }).state);
    });
    const outcome = await core.call('changes:push', {});
    off();
    expect(outcome).toMatchObject({ state: 'finished', pushed: approved.changed, failed: 0 });
    expect(progress.at(-1)).toBe('finished');

    const pushed = changeRows(core, 'batch_id = ?', outcome.batchId);
    expect(pushed.map((r) => r.state)).toEqual(pushed.map(() => 'pushed'));
    for (const row of pushed.filter((r) => r.kind === 'CreateEvent')) {
      expect(lacrm.eventsWithMarker(row.marker!)).toBe(1);
      const event = lacrm.events().find((e) => e.EventId === row.lacrm_id)!;
      expect(event.ContactIds).toContain(contactId);
      expect(Date.parse(event.StartDate)).toBe(
        Date.parse(fields(row.after_json).StartDate as string),
      );
    }
    const after = fields(edit!.after_json);
    const written = lacrm.contact(contactId)!;
    for (const [label, value] of Object.entries(after)) expect(written[label]).toBe(value);
    expect(written.Email).toEqual(original.Email);

    // Every write is in the audit log with its LACRM id, and the chain holds.
    const writes = listAudit(core.context.db(), { limit: 1000 }).filter((e) =>
      e.action.startsWith('push.event_created'),
    );
    expect(writes.map((e) => e.lacrmId).sort()).toEqual(
      pushed
        .filter((r) => r.kind === 'CreateEvent')
        .map((r) => r.lacrm_id)
        .sort(),
    );
    expect(verifyAudit(core.context.db()).ok).toBe(true);

    // A re-plan knows what it wrote: nothing new for this contact.
    await core.call('changes:plan', {});
    expect(open(core, contactId)).toEqual([]);

    // Undo: proposed, approved, pushed like any batch.
    const undo = await core.call('changes:undo', { batchId: outcome.batchId });
    expect(undo.changeIds.length).toBe(pushed.length);
    expect(undo.notUndoable).toEqual([]);
    await expect(core.call('changes:undo', { batchId: outcome.batchId })).rejects.toThrow(
      /already waiting for approval/,
    );
    const compensations = changeRows(core, 'undo_batch_id = ?', outcome.batchId);
    expect(compensations.map((r) => r.kind).sort()).toEqual(
      pushed.map((r) => (r.kind === 'CreateEvent' ? 'DeleteEvent' : r.kind)).sort(),
    );
    await core.call('changes:approve', { group: `undo:${outcome.batchId}` });
    const undone = await core.call('changes:push', {});
    expect(undone).toMatchObject({ state: 'finished', failed: 0, pushed: undo.changeIds.length });

    for (const row of pushed.filter((r) => r.kind === 'CreateEvent'))
      expect(lacrm.eventsWithMarker(row.marker!)).toBe(0);
    const restored = lacrm.contact(contactId)!;
    expect(restored['Last portfolio review']).toBe(original['Last portfolio review']);
    expect(restored['Next review due']).toBe(original['Next review due']);
    expect(restored['Meetings last 12 months']).toBeNull();
    expect(changeRows(core, 'batch_id = ?', outcome.batchId).map((r) => r.state)).toEqual(
      pushed.map(() => 'undone'),
    );

    // The undone changes stay settled: the next sync does not propose them again.
    await core.call('sync:run', {});
    expect(open(core, contactId)).toEqual([]);
    expect(verifyAudit(core.context.db()).ok).toBe(true);
    const actions = listAudit(core.context.db(), { limit: 1000 }).map((e) => e.action);
    for (const action of [
      'change.approved',
      'push.started',
      'push.contact_updated',
      'undo.requested',
      'push.event_deleted',
      'change.undone',
      'push.finished',
    ])
      expect(actions).toContain(action);
  }, 60_000);
});

describe('changes after approval and after a push', () => {
  it('proposes an approved change again when its meeting changes, then follows pushed meetings', async () => {
    const { core, lacrm, world } = await syncedWorld();
    const calcomEvents = changeRows(core, "kind = 'CreateEvent' AND booking_source = 'calcom'");
    const [first, second] = calcomEvents;
    await core.call('changes:approve', { ids: [first!.id, second!.id] });

    // The second one's booking is renamed before the push: back to proposed, with the reason.
    world.calcom.state.edit(second!.booking_source_id!, { title: 'Renamed: quarterly check-in' });
    await core.call('sync:run', { sources: ['calcom'], mode: 'full' });
    const [again] = changeRows(core, 'id = ?', second!.id);
    expect(again).toMatchObject({ state: 'proposed', kind: 'CreateEvent' });
    expect(again!.reason).toMatch(/title changed since you approved it/);
    expect(fields(again!.after_json).Name).toBe('Renamed: quarterly check-in');
    expect(listAudit(core.context.db(), { action: 'change.reproposed' })).toHaveLength(1);

    const firstPush = await core.call('changes:push', {});
    expect(firstPush).toMatchObject({ pushed: 1, failed: 0 });
    const [pushed] = changeRows(core, 'id = ?', first!.id);
    const uid = first!.booking_source_id!;

    // The pushed meeting is renamed in Cal.com: EditEvent, before → after.
    world.calcom.state.edit(uid, { title: 'Annual review (moved room)' });
    await core.call('sync:run', { sources: ['calcom'], mode: 'full' });
    const [editEvent] = changeRows(
      core,
      "change_key = ? AND state = 'proposed'",
      pushed!.change_key,
    );
    expect(editEvent).toMatchObject({ kind: 'EditEvent', target_id: pushed!.lacrm_id });
    const view = (await core.call('changes:list', { group: pushed!.contact_id! })).changes.find(
      (c) => c.id === editEvent!.id,
    )!;
    expect(view.fields.find((f) => f.field === 'Name')).toMatchObject({
      before: fields(pushed!.after_json).Name,
      after: 'Annual review (moved room)',
      changed: true,
    });
    await core.call('changes:approve', { ids: [editEvent!.id] });
    expect(await core.call('changes:push', {})).toMatchObject({ pushed: 1, failed: 0 });
    expect(lacrm.events().find((e) => e.EventId === pushed!.lacrm_id)!.Name).toBe(
      'Annual review (moved room)',
    );

    // Every attendee turns out to have been a no-show: the meeting was not held, DeleteEvent.
    const booking = world.calcom.state.get(uid)!;
    for (const attendee of booking.attendees)
      world.calcom.state.markAbsent(uid, { attendeeEmail: attendee.email });
    await core.call('sync:run', { sources: ['calcom'], mode: 'full' });
    const [deleteEvent] = changeRows(
      core,
      "change_key = ? AND state = 'proposed'",
      pushed!.change_key,
    );
    expect(deleteEvent).toMatchObject({ kind: 'DeleteEvent', target_id: pushed!.lacrm_id });
    await core.call('changes:approve', { ids: [deleteEvent!.id] });
    expect(await core.call('changes:push', {})).toMatchObject({ pushed: 1, failed: 0 });
    expect(lacrm.eventsWithMarker(pushed!.marker!)).toBe(0);
    await core.call('changes:plan', {});
    expect(changeRows(core, "change_key = ? AND state = 'proposed'", pushed!.change_key)).toEqual(
      [],
    );
  }, 60_000);

  it('a renamed LACRM field fails with a sentence, sends nothing, and succeeds on retry', async () => {
    const { core, lacrm } = await syncedWorld();
    const [edit] = changeRows(core, "kind = 'EditContact'");
    await core.call('changes:approve', { ids: [edit!.id] });
    lacrm.renameCustomField('Next review due', 'Next Review Due');
    const editsBefore = lacrm.callCount('EditContact');
    const outcome = await core.call('changes:push', {});
    expect(outcome).toMatchObject({ pushed: 0, failed: 1 });
    const [failed] = changeRows(core, 'id = ?', edit!.id);
    expect(failed!.state).toBe('failed');
    expect(failed!.last_error).toMatch(
      /LACRM has "Next Review Due" but Cadence needs the exact name "Next review due"/,
    );
    expect(lacrm.callCount('EditContact')).toBe(editsBefore);
    const list = await core.call('changes:list', { states: ['failed'] });
    expect(list.changes[0]).toMatchObject({ id: edit!.id, errorCode: 'invalid_input' });

    lacrm.renameCustomField('Next Review Due', 'Next review due');
    expect((await core.call('changes:approve', { ids: [edit!.id] })).changed).toBe(1);
    expect(await core.call('changes:push', {})).toMatchObject({ pushed: 1, failed: 0 });
    expect(lacrm.contact(edit!.contact_id!)!['Next review due']).toBe(
      fields(edit!.after_json)['Next review due'],
    );
  }, 60_000);
});
