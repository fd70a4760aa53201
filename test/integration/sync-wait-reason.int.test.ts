// A waiting source says why it waits: a retry after a server error is not a rate-limit wait.
// Through the core, against the simulators' fault switches.
import { describe, expect, it } from 'vitest';
import type { SourceProgress } from '../../src/shared/contract';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import { practicePerTest } from '../helpers/practice-per-test';

const practice = practicePerTest();

describe('waiting progress says why', () => {
  it('a 503 retried says retry; a 429 says rate_limit; both sources still finish', async () => {
    // Retry-After makes each wait long enough (over a second) to be reported.
    const { core } = await practice({
      calendly: {
        faults: new FaultPlan().add({
          fault: { kind: 'status', status: 503, headers: { 'Retry-After': '2' } },
          match: (req) => req.path.endsWith('/scheduled_events'),
          times: 1,
        }),
      },
      tidycal: {
        faults: new FaultPlan().add({
          fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
          match: (req) => req.path.endsWith('/bookings'),
          times: 1,
        }),
      },
    });
    const waits: SourceProgress[] = [];
    core.subscribe((event, payload) => {
      const p = payload as SourceProgress;
      if (event === 'sync:progress' && p.state === 'waiting') waits.push(p);
    });
    const outcome = await core.call('sync:run', { sources: ['calendly', 'tidycal'] });
    for (const r of outcome.results) expect(r.state, r.error?.message).toBe('ok');

    const calendly = waits.filter((w) => w.source === 'calendly');
    expect(calendly.length).toBeGreaterThan(0);
    expect(calendly.every((w) => w.waitReason === 'retry')).toBe(true);
    expect(calendly[0]!.waitMs).toBeGreaterThan(1000);

    const tidycal = waits.filter((w) => w.source === 'tidycal');
    expect(tidycal.length).toBeGreaterThan(0);
    expect(tidycal.every((w) => w.waitReason === 'rate_limit')).toBe(true);
  });
});
