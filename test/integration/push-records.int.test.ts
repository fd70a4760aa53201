// Notes, requested contacts and a create that keeps losing its answer, against the LACRM simulator:
// a review note and a new contact whose create answers are lost are written exactly once (found by
// their markers); a create that never gets an answer fails with a sentence saying what Cadence will
// do, and its retry adopts the record LACRM made instead of making a second one.
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/main/audit';
import { createCore, type Core } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { onLacrmFunction, startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { matchAll } from '../../src/main/pipeline';
import { pushServiceFor } from '../../src/main/push/service';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NormalizedBooking } from '../../src/main/sources/types';
import { tempDir } from '../helpers/temp';
import { testAttendee, testBooking } from '../helpers/booking';
import { changeRows } from './push-fixtures';

let lacrm: LacrmSim | null = null;
let core: Core | null = null;
afterEach(async () => {
  if (core) {
    await core.context.secrets.delete(core.context.secretAccount('lacrm'));
    await core.context.secrets.delete(`${core.context.profile.profileId}:db-key`);
    core.close();
  }
  core = null;
  await lacrm?.close();
  lacrm = null;
});

function booking(sourceId: string, email: string, name: string, title: string): NormalizedBooking {
  return testBooking({
    sourceId,
    title,
    eventTypeSlug: 'annual-review',
    eventTypeName: 'Annual review',
    startUtc: '2026-04-07T14:00:00.000Z',
    attendees: [testAttendee(email, name)],
  });
}

async function setup(): Promise<{ core: Core; lacrm: LacrmSim; annId: string }> {
  lacrm = await startLacrmSim();
  const annId = lacrm.addContactDirectly({
    Name: { FirstName: 'Ann', LastName: 'Example' },
    Email: [{ Text: 'ann@clients.example', Type: 'Work' }],
  });
  core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    net: { requestsPerMinute: { lacrm: Infinity }, timeoutMs: 300, baseBackoffMs: 2 },
  });
  await core.call('settings:set', {
    'lacrm.baseUrl': lacrm.baseUrl,
    'lacrm.notes.enabled': true,
    'lacrm.notes.template': 'Reviewed the portfolio with {client} ({type}).',
  });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  await core.call('sync:run', { sources: ['lacrm'] });
  const db = core.context.db();
  db.transaction(() => {
    const now = new Date().toISOString();
    storeBooking(
      db,
      booking('701', 'ann@clients.example', 'Ann Example', 'Annual review'),
      null,
      now,
    );
    storeBooking(
      db,
      booking('702', 'dana@new.example', 'Dana Newcomer', 'Annual review'),
      null,
      now,
    );
  })();
  matchAll(core.context);
  return { core, lacrm, annId };
}

describe('notes and requested contacts', () => {
  it('writes a review note and a new contact exactly once when their answers are lost', async () => {
    const { core, lacrm, annId } = await setup();
    const attendee = core.context
      .db()
      .prepare("SELECT id FROM attendees WHERE email = 'dana@new.example'")
      .pluck()
      .get() as number;
    await core.call('matches:requestContact', {
      attendeeId: attendee,
      firstName: 'Dana',
      lastName: 'Newcomer',
      email: 'dana@new.example',
    });
    await core.call('changes:plan', {});
    const [note] = changeRows(core, "kind = 'CreateNote'");
    expect(note).toMatchObject({ contact_id: annId, marker: '[cadence:tidycal:701]' });
    expect(JSON.parse(note!.after_json).Note).toBe(
      'Reviewed the portfolio with Ann Example (Annual review).\n[cadence:tidycal:701]',
    );
    const [request] = changeRows(core, "kind = 'CreateContact'");
    expect(request).toBeDefined();

    lacrm.faults
      .add({
        phase: 'after',
        match: onLacrmFunction('CreateNote'),
        fault: { kind: 'drop' },
        times: 1,
      })
      .add({
        phase: 'after',
        match: onLacrmFunction('CreateContact'),
        fault: { kind: 'status', status: 502 },
        times: 1,
      });
    await core.call('changes:approve', { ids: [note!.id, request!.id] });
    const outcome = await core.call('changes:push', {});
    expect(outcome).toMatchObject({ pushed: 2, failed: 0 });

    expect(lacrm.callCount('CreateNote')).toBe(1);
    expect(lacrm.notesWithMarker('[cadence:tidycal:701]')).toBe(1);
    const created = lacrm
      .contacts()
      .filter((c) => c.Email.some((e) => e.Text === 'dana@new.example'));
    expect(created).toHaveLength(1);
    expect(lacrm.callCount('CreateContact')).toBe(1);
    const [pushedRequest] = changeRows(core, 'id = ?', request!.id);
    expect(pushedRequest).toMatchObject({ state: 'pushed', lacrm_id: created[0]!.ContactId });
    const adopted = listAudit(core.context.db(), { limit: 100 }).filter(
      (e) => e.detail?.adopted === true,
    );
    expect(adopted.map((e) => e.action).sort()).toEqual([
      'push.contact_created',
      'push.note_created',
    ]);

    // The next sync brings the new contact back: Dana's meeting is matched and its event proposed;
    // the request is not proposed again.
    await core.call('sync:run', { sources: ['lacrm'] });
    matchAll(core.context);
    await core.call('changes:plan', {});
    expect(changeRows(core, "kind = 'CreateContact' AND state = 'proposed'")).toEqual([]);
    expect(
      changeRows(core, "kind = 'CreateEvent' AND contact_id = ?", created[0]!.ContactId),
    ).toHaveLength(1);
  }, 30_000);

  it('a create that never hears back fails with what happens next, and its retry adopts', async () => {
    const { core, lacrm } = await setup();
    await core.call('changes:plan', {});
    const [event] = changeRows(core, "kind = 'CreateEvent'");
    lacrm.faults.add({
      phase: 'after',
      match: onLacrmFunction('CreateEvent'),
      fault: { kind: 'hang' },
      times: 1,
    });
    // Every later try's lookup fails too, so this push gives up on the change.
    lacrm.faults.add({
      match: onLacrmFunction('GetEvents'),
      fault: { kind: 'status', status: 503 },
    });
    await core.call('changes:approve', { ids: [event!.id] });
    const first = await pushServiceFor(core.context).push({
      actor: 'advisor',
      retryDelayMs: 5,
      maxAttempts: 4,
    });
    expect(first).toMatchObject({ pushed: 0, failed: 1 });
    const [failed] = changeRows(core, 'id = ?', event!.id);
    expect(failed!.state).toBe('failed');
    expect(failed!.last_error).toMatch(
      /the next try looks for \[cadence:tidycal:701\] in LACRM first/,
    );
    expect(lacrm.eventsWithMarker('[cadence:tidycal:701]')).toBe(1);
    expect(lacrm.callCount('CreateEvent')).toBe(1);

    lacrm.faults.clear();
    await core.call('changes:approve', { ids: [event!.id] });
    expect(await core.call('changes:push', {})).toMatchObject({ pushed: 1, failed: 0 });
    expect(lacrm.callCount('CreateEvent')).toBe(1);
    expect(lacrm.eventsWithMarker('[cadence:tidycal:701]')).toBe(1);
    const [pushed] = changeRows(core, 'id = ?', event!.id);
    expect(pushed!.lacrm_id).toBe(lacrm.events()[0]!.EventId);
  }, 30_000);
});
