// Matching and the advisor's decisions through the core, with the real encrypted store, the real
// keychain and the LACRM simulator: what is automatic and what waits, the review queue's order,
// and confirm / reject / ignore / request / bulk accept / undo, each reused by later syncs.
import { describe, expect, it } from 'vitest';
import {
  ADVISOR,
  arrive,
  attendeeId,
  booking,
  crm,
  exported,
  ids,
  rowFor,
  setup,
} from './match-fixtures';

describe('matching after a sync', () => {
  it('matches exact addresses automatically and leaves everything else to the advisor', async () => {
    const { core } = await setup();
    const team = booking([
      { email: 'JANE@Acme.example', name: 'Jane Doe' },
      { email: 'bob.smith.home@mail.example', name: 'Bob Smith' },
      { email: 'ngfamily@mail.example', name: 'Carol Ng' },
      { email: ADVISOR, name: 'Avery Advisor' },
      { email: 'stranger@nowhere.example', name: 'Quentin Zylberstein' },
    ]);
    await arrive(core, team);

    expect(rowFor(core, team.sourceId, 'JANE@Acme.example')).toMatchObject({
      state: 'auto',
      contactId: ids.jane,
      score: 1,
    });
    const bob = rowFor(core, team.sourceId, 'bob.smith.home@mail.example');
    expect(bob).toMatchObject({ state: 'suggested', contactId: ids.robert });
    expect(bob.reason).toMatch(/Bob is a nickname of Robert/);
    expect(bob.candidates[0]).toBe(ids.robert);
    // A shared address is never automatic, even when the name fits one of its owners.
    const carol = rowFor(core, team.sourceId, 'ngfamily@mail.example');
    expect(carol.state).toBe('suggested');
    expect(carol.contactId).toBe(ids.carol);
    expect(carol.reason).toMatch(/shared by 2 contacts/);
    expect(rowFor(core, team.sourceId, 'stranger@nowhere.example').state).toBe('unmatched');
    // The advisor's own address is a host: no match, no export row, not in the queue.
    expect(exported(core).some((r) => r.attendeeEmail === ADVISOR)).toBe(false);
    expect(exported(core)).toHaveLength(4);

    const queue = await core.call('review:list', {});
    expect(queue.items.map((i) => [i.kind, i.email])).toEqual([
      ['suggested', 'ngfamily@mail.example'],
      ['suggested', 'bob.smith.home@mail.example'],
      ['unmatched', 'stranger@nowhere.example'],
    ]);
    const item = queue.items[1]!;
    expect(item.candidates[0]?.contact).toMatchObject({
      name: 'Robert Smith',
      emails: ['robert.smith@smithco.example'],
    });
    expect(item.booking).toMatchObject({ source: 'calcom', sourceId: team.sourceId });
    expect(queue.states).toMatchObject({ auto: 1, suggested: 2, unmatched: 1 });
    // An item beyond the limit is listed when asked for (a booking's link opens it), after the rest.
    const last = queue.items[2]!;
    const cut = await core.call('review:list', { limit: 1, include: last.key });
    expect(cut.items.map((i) => i.key)).toEqual([queue.items[0]!.key, last.key]);
    expect(cut.total).toBe(3);
    const unknown = await core.call('review:list', { limit: 1, include: 'nobody@nowhere|' });
    expect(unknown.items.map((i) => i.key)).toEqual([queue.items[0]!.key]);
    expect(queue.contacts).toBe(crm.length);

    // Running the pipeline again changes nothing.
    const before = JSON.stringify(exported(core));
    await core.call('sync:run', { sources: ['lacrm'] });
    expect(JSON.stringify(exported(core))).toBe(before);
  });
});

describe('decisions', () => {
  it('confirm makes an alias that later bookings reuse automatically; undo takes it back', async () => {
    const { core } = await setup();
    const first = booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]);
    const repeat = booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]);
    await arrive(core, first, repeat);
    const target = attendeeId(core, first.sourceId, 'bob.smith.home@mail.example');

    const decided = await core.call('matches:confirm', {
      attendeeId: target,
      contactId: ids.robert,
    });
    expect(decided.decisions[0]).toMatchObject({
      action: 'confirm',
      emailKey: 'bob.smith.home@mail.example',
      contactName: 'Robert Smith',
    });
    expect(rowFor(core, first.sourceId, 'bob.smith.home@mail.example')).toMatchObject({
      state: 'confirmed',
      contactId: ids.robert,
    });
    // The same person under the same address was settled by the same decision.
    expect(rowFor(core, repeat.sourceId, 'bob.smith.home@mail.example').state).toBe('confirmed');
    expect((await core.call('review:list', {})).items).toEqual([]);

    // A later sync brings a new booking from that address, under another spelling: automatic.
    const later = booking([{ email: 'Bob.Smith.Home@mail.example', name: 'Bobby S.' }]);
    await arrive(core, later);
    const reused = rowFor(core, later.sourceId, 'Bob.Smith.Home@mail.example');
    expect(reused).toMatchObject({ state: 'auto', contactId: ids.robert, score: 1 });
    expect(reused.reason).toMatch(/you confirmed/);

    const undone = await core.call('matches:undo', {});
    expect(undone.decisions.map((d) => d.id)).toEqual([decided.decisions[0]!.id]);
    for (const b of [first, repeat])
      expect(rowFor(core, b.sourceId, 'bob.smith.home@mail.example').state).toBe('suggested');
    expect(rowFor(core, later.sourceId, 'Bob.Smith.Home@mail.example').state).not.toBe('auto');
    const aliases = core.context
      .db()
      .prepare('SELECT count(*) FROM aliases WHERE undone_at IS NULL')
      .pluck()
      .get();
    expect(aliases).toBe(0);
    await expect(core.call('matches:undo', {})).rejects.toMatchObject({ code: 'not_found' });
    // Both the decision and its undo are in the hash-chained audit log, which still verifies.
    const audit = await core.call('audit:list', { limit: 50 });
    const actions = audit.entries.map((e) => e.action);
    expect(actions).toContain('match.confirm');
    expect(actions).toContain('match.undo');
    expect((await core.call('audit:verify', {})).ok).toBe(true);
  });

  it('reject keeps that contact from being suggested for the address again, even after a sync', async () => {
    const { core } = await setup();
    const first = booking([{ email: 'liz@home.example', name: 'Liz Taylor' }]);
    await arrive(core, first);
    const target = attendeeId(core, first.sourceId, 'liz@home.example');
    expect(rowFor(core, first.sourceId, 'liz@home.example')).toMatchObject({
      state: 'suggested',
      contactId: ids.elizabeth,
    });

    await core.call('matches:reject', { attendeeId: target });
    const rejected = rowFor(core, first.sourceId, 'liz@home.example');
    expect(rejected).toMatchObject({ state: 'rejected', contactId: null });
    expect(rejected.candidates).not.toContain(ids.elizabeth);
    const queue = await core.call('review:list', {});
    expect(queue.items.map((i) => [i.kind, i.email])).toEqual([['rejected', 'liz@home.example']]);

    const later = booking([{ email: 'liz@home.example', name: 'Elizabeth Taylor' }]);
    await arrive(core, later);
    const next = rowFor(core, later.sourceId, 'liz@home.example');
    expect(next.contactId).not.toBe(ids.elizabeth);
    expect(next.candidates).not.toContain(ids.elizabeth);
    expect(next.reason).toMatch(/you rejected/);

    // Linking it by hand afterwards is still possible (search → confirm).
    const found = await core.call('contacts:search', { query: 'taylor eliz' });
    expect(found.map((c) => c.contactId)).toEqual([ids.elizabeth]);
    await core.call('matches:confirm', { attendeeId: target, contactId: ids.elizabeth });
    expect(rowFor(core, later.sourceId, 'liz@home.example')).toMatchObject({
      state: 'auto',
      contactId: ids.elizabeth,
    });

    await core.call('matches:undo', {});
    await core.call('matches:undo', {});
    expect(rowFor(core, first.sourceId, 'liz@home.example')).toMatchObject({
      state: 'suggested',
      contactId: ids.elizabeth,
    });
  });

  it('ignore applies to every booking from the address, now and later', async () => {
    const { core } = await setup();
    const a = booking([{ email: 'office@frontdesk.example', name: 'Front Desk' }]);
    const b = booking([{ email: 'office@frontdesk.example', name: 'Harold M.' }]);
    await arrive(core, a, b);
    await core.call('matches:ignore', { email: 'Office@FrontDesk.example' });
    for (const x of [a, b])
      expect(rowFor(core, x.sourceId, 'office@frontdesk.example').state).toBe('ignored');
    const c = booking([{ email: 'office@frontdesk.example', name: 'Harold Murphy' }]);
    await arrive(core, c);
    expect(rowFor(core, c.sourceId, 'office@frontdesk.example')).toMatchObject({
      state: 'ignored',
      contactId: null,
    });
    expect((await core.call('review:list', {})).items).toEqual([]);
    await core.call('matches:undo', {});
    expect(rowFor(core, c.sourceId, 'office@frontdesk.example').state).not.toBe('ignored');
    expect((await core.call('review:list', {})).total).toBeGreaterThan(0);
  });

  it('a requested contact is an intent shown in the queue, not a CRM write, and can be undone', async () => {
    const { core, sim } = await setup();
    const a = booking([{ email: 'newperson@startup.example', name: 'Priya Raman' }]);
    await arrive(core, a);
    const target = attendeeId(core, a.sourceId, 'newperson@startup.example');
    await core.call('matches:requestContact', {
      attendeeId: target,
      firstName: 'Priya',
      lastName: 'Raman',
    });
    expect(sim.callCount('CreateContact')).toBe(0);
    const queue = await core.call('review:list', {});
    expect(queue.counts.requested).toBe(1);
    expect(queue.items[0]?.request).toMatchObject({
      firstName: 'Priya',
      lastName: 'Raman',
      email: 'newperson@startup.example',
    });
    await expect(
      core.call('matches:requestContact', { attendeeId: target, firstName: 'P', lastName: 'R' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await core.call('matches:undo', {});
    expect((await core.call('review:list', {})).items[0]?.request).toBeNull();
  });

  it('bulk accept confirms every suggestion at 90% or more as one batch, undone as one', async () => {
    const { core } = await setup();
    const x = booking([
      { email: 'margaret.adams@mail.example', name: 'Margaret Adams' },
      { email: 'bob.smith.home@mail.example', name: 'Bob Smith' },
      { email: 'h.murphy@mail.example', name: 'H. Murphy' },
    ]);
    await arrive(core, x);
    const before = await core.call('review:list', {});
    const eligible = before.items.filter((i) => i.kind === 'suggested' && (i.score ?? 0) >= 0.9);
    expect(before.bulkEligible).toBe(eligible.length);
    expect(eligible.length).toBeGreaterThanOrEqual(1);

    const accepted = await core.call('matches:bulkAccept', {
      keys: before.items.map((i) => i.key),
    });
    expect(accepted.decisions).toHaveLength(eligible.length);
    const batch = new Set(accepted.decisions.map((d) => d.batchId));
    expect(batch.size).toBe(1);
    const after = await core.call('review:list', {});
    expect(after.bulkEligible).toBe(0);
    for (const item of eligible)
      expect(rowFor(core, x.sourceId, item.email!).state).toBe('confirmed');

    const undone = await core.call('matches:undo', {});
    expect(undone.decisions).toHaveLength(eligible.length);
    expect((await core.call('review:list', {})).bulkEligible).toBe(eligible.length);
  });

  it('advisor decisions survive later syncs and contact refreshes', async () => {
    const { core, sim } = await setup();
    const x = booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]);
    await arrive(core, x);
    await core.call('matches:confirm', {
      attendeeId: attendeeId(core, x.sourceId, 'bob.smith.home@mail.example'),
      contactId: ids.robert,
    });
    // Someone adds another Robert Smith to the CRM; the decision stands.
    sim.addContactDirectly({
      Name: { FirstName: 'Robert', LastName: 'Smith' },
      Email: [{ Text: 'rsmith@elsewhere.example', Type: 'Work' }],
    });
    await core.call('sync:run', { sources: ['lacrm'], mode: 'full' });
    expect(rowFor(core, x.sourceId, 'bob.smith.home@mail.example')).toMatchObject({
      state: 'confirmed',
      contactId: ids.robert,
    });
  });

  it('validates inputs and names what was wrong', async () => {
    const { core } = await setup();
    const x = booking([
      { email: 'bob.smith.home@mail.example', name: 'Bob Smith' },
      { email: ADVISOR, name: 'Avery Advisor' },
    ]);
    await arrive(core, x);
    const bad = await core.invoke('matches:confirm', { attendeeId: 1, contactId: 'robert' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!bad.ok && bad.error.message).toContain('contactId');
    const noTarget = await core.invoke('matches:confirm', { contactId: ids.robert });
    expect(!noTarget.ok && noTarget.error.message).toContain('attendeeId');
    const unknown = await core.invoke('matches:confirm', {
      booking: { source: 'calcom', sourceId: x.sourceId },
      email: 'bob.smith.home@mail.example',
      contactId: '999',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const own = await core.invoke('matches:confirm', {
      attendeeId: attendeeId(core, x.sourceId, ADVISOR),
      contactId: ids.robert,
    });
    expect(own).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const ignoreTwo = await core.invoke('matches:ignore', { attendeeId: 1, email: 'a@b.example' });
    expect(ignoreTwo).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('shows each attendee of a booking with its match for the Bookings panel', async () => {
    const { core } = await setup();
    const x = booking([
      { email: 'jane@acme.example', name: 'Jane Doe' },
      { email: ADVISOR, name: 'Avery Advisor' },
    ]);
    await arrive(core, x);
    const id = core.context
      .db()
      .prepare('SELECT id FROM bookings WHERE source_id = ?')
      .pluck()
      .get(x.sourceId) as number;
    const matches = await core.call('matches:forBooking', { bookingId: id });
    expect(matches.map((m) => [m.email, m.state, m.contact?.name ?? null])).toEqual([
      ['jane@acme.example', 'auto', 'Jane Doe'],
      [ADVISOR, null, null],
    ]);
  });
});

describe('connecting LACRM', () => {
  it('verifies the key with GetUser and learns the advisor’s own address', async () => {
    const { core, sim } = await setup();
    const account = await core.call('sources:connect', { source: 'lacrm', key: sim.apiKey });
    expect(account).toMatchObject({ source: 'lacrm', configured: true, account: 'Avery Advisor' });
    expect(core.context.sync.ownEmails().has(sim.user.Email.toLowerCase())).toBe(true);
    const refused = await core.invoke('sources:connect', { source: 'lacrm', key: 'wrong-key' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
  });
});
