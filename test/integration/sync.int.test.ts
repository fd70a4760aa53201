// Sync now against the simulators, per source: a full sync, a no-change re-sync (request counts),
// cancellations and reschedules, cal-api-version fallback and refusal, a refused key, and cancel.
// Faults (429 storms, 5xx, timeouts, broken bodies, legacy answers) are in
// test/hardening/faults.int.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import { coreFor } from '../helpers/world-core';
import { startWorld, storeCounts, type World } from '../helpers/world';

const worlds: World[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function setup(options: Parameters<typeof startWorld>[0] = {}) {
  const world = await startWorld(options);
  worlds.push(world);
  const core = await coreFor(world);
  cores.push(core);
  return { world, core };
}

function result(outcome: { results: { source: string }[] }, source: string) {
  const r = outcome.results.find((x) => x.source === source);
  if (!r) throw new Error(`no result for ${source}`);
  return r as (typeof outcome.results)[number] & {
    state: string;
    created: number;
    updated: number;
    unchanged: number;
    requests: number;
    fetched: number;
    error: { code: string; message: string } | null;
  };
}

describe('Sync now against the simulators', () => {
  it('pulls every booking from every source, keeps hosts apart, and records the runs', async () => {
    const { world, core } = await setup();
    const outcome = await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
    for (const source of ['calcom', 'calendly', 'tidycal'] as const) {
      const r = result(outcome, source);
      expect(r.state, r.error?.message).toBe('ok');
      expect(r.created).toBe(world.practice.stats.bookings[source]);
    }
    const counts = storeCounts(core);
    expect(counts.calcom!.n).toBe(world.practice.stats.bookings.calcom);
    expect(counts.calendly!.n).toBe(world.practice.stats.bookings.calendly);
    expect(counts.tidycal!.n).toBe(world.practice.stats.bookings.tidycal);
    // Every record is one row; a reschedule chain is one current meeting.
    for (const c of Object.values(counts)) expect(c.distinct_ids).toBe(c.n);
    const meetings = world.practice.truth.meetings.length;
    expect(Object.values(counts).reduce((n, c) => n + c.current, 0)).toBe(meetings);
    // The advisor's own addresses are hosts, never attendees.
    const db = core.context.db();
    const own = world.practice.advisor.emails.all.map((e) => e.toLowerCase());
    const leaked = db
      .prepare(
        `SELECT count(*) AS n FROM attendees WHERE email_normalized IN (${own.map(() => '?').join(',')})`,
      )
      .get(...own) as { n: number };
    expect(leaked.n).toBe(0);
    const status = await core.call('sync:status', {});
    expect(status.last.map((r) => [r.source, r.state]).sort()).toEqual([
      ['calcom', 'ok'],
      ['calendly', 'ok'],
      ['tidycal', 'ok'],
    ]);
  });

  it('re-syncs with no changes cheaply: Cal.com in at most 2 requests, nothing created or updated', async () => {
    const { world, core } = await setup();
    await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
    const before = JSON.stringify(storeCounts(core));
    const calcomBefore = world.calcom.requestCount();
    const outcome = await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
    const cal = result(outcome, 'calcom');
    expect(cal.requests).toBeLessThanOrEqual(2);
    expect(world.calcom.requestCount() - calcomBefore).toBe(cal.requests);
    for (const source of ['calcom', 'calendly', 'tidycal']) {
      const r = result(outcome, source);
      expect(r.state, r.error?.message).toBe('ok');
      expect(r.created).toBe(0);
      expect(r.updated).toBe(0);
    }
    // Calendly re-scans its window without a single invitee call; TidyCal pages its window to the empty page.
    const calendly = result(outcome, 'calendly');
    expect(calendly.requests).toBe(Math.max(1, Math.ceil(calendly.fetched / 100)));
    const tidycal = result(outcome, 'tidycal');
    expect(tidycal.requests).toBe(Math.ceil(tidycal.fetched / 25) + 1);
    expect(JSON.stringify(storeCounts(core))).toBe(before);
  });

  it('picks up a cancellation and a reschedule on each source', async () => {
    const { world, core } = await setup();
    await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
    const db = core.context.db();
    const upcoming = (source: string) =>
      (
        db
          .prepare(
            `SELECT source_id FROM bookings WHERE source = ? AND status = 'scheduled' AND superseded_by IS NULL AND start_utc > ? ORDER BY start_utc LIMIT 2`,
          )
          .all(source, new Date().toISOString()) as { source_id: string }[]
      ).map((r) => r.source_id);
    const inAWeek = (iso: string) => new Date(Date.parse(iso) + 7 * 86_400_000).toISOString();

    const [calCancel, calMove] = upcoming('calcom');
    world.calcom.state.cancel(calCancel!, { reason: 'Travelling' });
    const moved = world.calcom.state.reschedule(calMove!, {
      start: inAWeek(world.calcom.state.get(calMove!)!.start),
    });

    const [cyCancel, cyMove] = upcoming('calendly');
    world.calendly.state.cancelEvent(cyCancel!, { reason: 'Sick' });
    const cyInvitee = world.calendly.state.invitees(cyMove!)[0]!;
    const cyMoved = world.calendly.state.reschedule(cyInvitee.uri, {
      start: inAWeek(world.calendly.state.getEvent(cyMove!)!.start_time),
    });

    const [tcCancel, tcMove] = upcoming('tidycal');
    world.tidycal.state.cancel(Number(tcCancel));
    world.tidycal.state.reschedule(Number(tcMove), {
      start: inAWeek(world.tidycal.state.get(Number(tcMove))!.starts_at),
    });

    const currentBefore = Object.values(storeCounts(core)).reduce((n, c) => n + c.current, 0);
    const outcome = await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
    for (const r of outcome.results) expect(r.state, r.error?.message).toBe('ok');
    const status = (source: string, id: string) =>
      (
        db
          .prepare('SELECT status FROM bookings WHERE source = ? AND source_id = ?')
          .get(source, id) as { status: string }
      ).status;
    expect(status('calcom', calCancel!)).toBe('cancelled');
    expect(status('calendly', cyCancel!)).toBe('cancelled');
    expect(status('tidycal', tcCancel!)).toBe('cancelled');

    // A reschedule is one meeting with a history, not two meetings.
    expect(Object.values(storeCounts(core)).reduce((n, c) => n + c.current, 0)).toBe(currentBefore);
    const list = await core.call('bookings:list', {
      filter: { search: '' },
      offset: 0,
      limit: 5000,
    });
    const calRow = list.rows.find((r) => r.sourceId === moved.next.uid)!;
    expect(calRow.rescheduledFrom).toBe(calMove);
    expect(list.rows.some((r) => r.sourceId === calMove)).toBe(false);
    const cyRow = list.rows.find((r) => r.sourceId === cyMoved.nextEvent.uri)!;
    expect(cyRow.rescheduledFrom).toBe(cyMove);
    const detail = await core.call('bookings:get', { id: calRow.id });
    expect(detail.history.map((h) => h.kind)).toContain('rescheduled');
    const tcRow = list.rows.find((r) => r.source === 'tidycal' && r.sourceId === tcMove)!;
    const tcDetail = await core.call('bookings:get', { id: tcRow.id });
    expect(tcDetail.history.map((h) => h.kind)).toContain('time');
  });

  it('falls back to cal-api-version 2024-08-13 on a self-hosted build that lacks 2026-02-25', async () => {
    const { world, core } = await setup();
    world.calcom.setKnownVersions(['2024-04-15', '2024-06-14', '2024-08-13']);
    const outcome = await core.call('sync:run', { sources: ['calcom'] });
    const r = result(outcome, 'calcom');
    expect(r.state, r.error?.message).toBe('ok');
    expect(r.created).toBe(world.practice.stats.bookings.calcom);
  });

  it('refuses the legacy answer of a server that knows neither version, and stores nothing', async () => {
    const { world, core } = await setup();
    world.calcom.setKnownVersions(['2024-04-15', '2024-06-14']);
    const outcome = await core.call('sync:run', { sources: ['calcom'] });
    const r = result(outcome, 'calcom');
    expect(r.state).toBe('failed');
    expect(r.error?.code).toBe('schema_mismatch');
    expect(r.error?.message).toMatch(
      /legacy 2024-04-15 API instead of cal-api-version 2026-02-25 or 2024-08-13/,
    );
    expect(storeCounts(core).calcom).toBeUndefined();
  });

  it('reports a refused key in words the advisor can act on', async () => {
    const { core } = await setup();
    await core.call('secrets:set', { name: 'tidycal', value: 'not-the-key' });
    const outcome = await core.call('sync:run', { sources: ['tidycal'] });
    const r = result(outcome, 'tidycal');
    expect(r.error?.code).toBe('auth_failed');
    expect(r.error?.message).toMatch(/TidyCal refused the API token/);
  });

  it('cancels a running sync; what was stored stays and the next run completes it', async () => {
    const { world, core } = await setup({
      calcom: { faults: new FaultPlan().add({ fault: { kind: 'slow', ms: 300 } }) },
    });
    const running = core.call('sync:run', { sources: ['calcom'], mode: 'full' });
    await new Promise<void>((resolve) => {
      const off = core.subscribe((event, payload) => {
        if (event === 'sync:progress' && (payload as { page: number }).page >= 1) {
          off();
          resolve();
        }
      });
    });
    expect((await core.call('sync:cancel', {})).cancelled).toBe(true);
    const outcome = await running;
    expect(result(outcome, 'calcom').state).toBe('cancelled');
    const partial = storeCounts(core).calcom!.n;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(world.practice.stats.bookings.calcom);
    world.calcom.faults.clear();
    const again = await core.call('sync:run', { sources: ['calcom'] });
    expect(result(again, 'calcom').state).toBe('ok');
    expect(storeCounts(core).calcom!.n).toBe(world.practice.stats.bookings.calcom);
  });

  it('refuses a second sync while one is running', async () => {
    const { core } = await setup({
      calcom: { faults: new FaultPlan().add({ fault: { kind: 'slow', ms: 200 } }) },
    });
    const first = core.call('sync:run', { sources: ['calcom'] });
    const second = await core.invoke('sync:run', { sources: ['calcom'] });
    expect(second).toMatchObject({ ok: false, error: { code: 'busy' } });
    await first;
  });
});
