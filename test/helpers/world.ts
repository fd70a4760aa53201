// A practice served by the scheduler simulators, and a core configured to sync from them. Free of
// the test runner, so the browser tests can use it too (coreFor, in world-core.ts, makes a core in
// a temporary folder the integration tests remove).
import {
  generatePractice,
  type Practice,
  type PracticeOptions,
} from '../../src/main/demo/practice';
import {
  startCalcomSim,
  type CalcomSim,
  type CalcomSimOptions,
} from '../../src/main/demo/sim/calcom';
import {
  startCalendlySim,
  type CalendlySim,
  type CalendlySimOptions,
} from '../../src/main/demo/sim/calendly';
import {
  startTidyCalSim,
  type TidyCalSim,
  type TidyCalSimOptions,
} from '../../src/main/demo/sim/tidycal';
import type { Core } from '../../src/main/core/core';
import type { NetTuning } from '../../src/main/sync/connectors';

export type World = Readonly<{
  practice: Practice;
  calcom: CalcomSim;
  calendly: CalendlySim;
  tidycal: TidyCalSim;
  close(): Promise<void>;
}>;

export type WorldOptions = Readonly<{
  practice?: PracticeOptions;
  calcom?: Omit<CalcomSimOptions, 'data'>;
  calendly?: Omit<CalendlySimOptions, 'data'>;
  tidycal?: Omit<TidyCalSimOptions, 'data'>;
}>;

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const practice = generatePractice({ seed: 7, ...options.practice });
  const calcom = await startCalcomSim({ data: practice.calcom, ...options.calcom });
  const calendly = await startCalendlySim({ data: practice.calendly, ...options.calendly });
  const tidycal = await startTidyCalSim({ data: practice.tidycal, ...options.tidycal });
  return {
    practice,
    calcom,
    calendly,
    tidycal,
    async close() {
      await Promise.all([calcom.close(), calendly.close(), tidycal.close()]);
    },
  };
}

/** Fast retries and no client-side budget unless a test asks for one. */
export const testNet: NetTuning = {
  requestsPerMinute: { calcom: Infinity, calendly: Infinity, tidycal: Infinity, lacrm: Infinity },
  baseBackoffMs: 20,
  timeoutMs: 3000,
};

export async function configure(core: Core, world: World): Promise<void> {
  await core.call('settings:set', {
    'sources.calcom.baseUrl': world.calcom.baseUrl,
    'sources.calendly.baseUrl': world.calendly.baseUrl,
    'sources.tidycal.baseUrl': world.tidycal.baseUrl,
    'advisor.emails': [...world.practice.advisor.emails.all],
  });
  await core.call('secrets:set', { name: 'calcom', value: world.calcom.apiKey });
  await core.call('secrets:set', { name: 'calendly', value: world.calendly.apiKey });
  await core.call('secrets:set', { name: 'tidycal', value: world.tidycal.apiKey });
}

/** Rows per source in the store, and how many are current (not superseded by a reschedule). */
export function storeCounts(core: Core) {
  const db = core.context.db();
  const rows = db
    .prepare(
      `SELECT source, count(*) AS n, sum(superseded_by IS NULL) AS current, count(DISTINCT source_id) AS distinct_ids
       FROM bookings GROUP BY source`,
    )
    .all() as { source: string; n: number; current: number; distinct_ids: number }[];
  return Object.fromEntries(rows.map((r) => [r.source, r]));
}
