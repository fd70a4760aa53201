// The benchmark's outside world, in a process of its own: it generates the practice and serves it
// from the Cal.com, Calendly, TidyCal and LACRM simulators, so the process being measured holds
// only what Cadence holds (its peak RSS is Cadence's) and the two share the machine's cores as the
// app and the real services would. Driven over IPC by bench/scale.ts:
//
//   → { type: 'start', limits: 'off' | 'default', clock }   ← { type: 'started', world }
//   → { type: 'log' }                                       ← { type: 'log', log }
//   → { type: 'stop' }                                      ← { type: 'stopped' }
//
// 'default' limits are the fact sheets' numbers (SERVICE_LIMITS), on the given virtual clock so
// the simulators' rate windows pass as fast as the client's budgets.
import { z } from 'zod';
import { generatePractice, type Practice } from '../src/main/demo/practice';
import { startCalcomSim, type CalcomSim } from '../src/main/demo/sim/calcom';
import { startCalendlySim, type CalendlySim } from '../src/main/demo/sim/calendly';
import { startLacrmSim, type LacrmSim } from '../src/main/demo/sim/lacrm';
import { startTidyCalSim, type TidyCalSim } from '../src/main/demo/sim/tidycal';
import type { LoggedRequest } from '../src/main/demo/sim/kit';
import type { BookingSource } from '../src/shared/domain';
import { virtualNow } from './support';

export const PracticeArgs = z.object({
  seed: z.coerce.number().int().min(0),
  contacts: z.coerce.number().int().min(1),
  bookings: z.coerce.number().int().min(1),
  years: z.coerce.number().positive(),
});
export type PracticeArgs = z.infer<typeof PracticeArgs>;

const VirtualClockMessage = z.object({
  factor: z.number().positive(),
  originMs: z.number(),
  startedAtRealMs: z.number(),
});

const Message = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    limits: z.enum(['off', 'default']),
    clock: VirtualClockMessage,
  }),
  z.object({ type: z.literal('log') }),
  z.object({ type: z.literal('stop') }),
]);
export type SimHostMessage = z.infer<typeof Message>;

/**
 * The services' own limits per minute when limits are on, as the fact sheets give them (Cal.com:
 * 120 per API key, then blocked for the rest of the window; Calendly: 500 on a paid plan; TidyCal
 * publishes none). Passed to the simulators explicitly so the numbers here are the ones served.
 */
export const SERVICE_LIMITS = {
  calcom: 120,
  calendly: 500,
  tidycal: null,
} as const satisfies Readonly<Record<BookingSource, number | null>>;

/** What the measured process needs to know about the world (never the practice itself). */
export type WorldInfo = Readonly<{
  urls: Readonly<Record<BookingSource | 'lacrm', string>>;
  keys: Readonly<Record<BookingSource | 'lacrm', string>>;
  advisorEmails: readonly string[];
  advisorTimeZone: string;
  practiceNow: string;
  generateSeconds: number;
  /** Requests per minute each simulator allows (null: unlimited), when limits are on. */
  serviceLimits: Readonly<Record<BookingSource, number | null>> | null;
  stats: Practice['stats'];
  /** What the fewest possible requests of a full sync depend on, besides the items listed. */
  catalog: Readonly<{
    calendlyEventTypes: number;
    tidycalBookingTypes: number;
    /** TidyCal bookings that do not embed their booking type (one /booking-types pass is needed). */
    tidycalWithoutEmbeddedType: number;
  }>;
}>;

/** Per source: requests the simulator received, and how many it answered with 429. */
export type RequestLog = Readonly<Record<BookingSource, { requests: number; throttled: number }>>;

export type SimHostReply =
  | Readonly<{ type: 'ready' }>
  | Readonly<{ type: 'started'; world: WorldInfo }>
  | Readonly<{ type: 'log'; log: RequestLog }>
  | Readonly<{ type: 'stopped' }>
  | Readonly<{ type: 'error'; message: string }>;

type Running = Readonly<{
  calcom: CalcomSim;
  calendly: CalendlySim;
  tidycal: TidyCalSim;
  lacrm: LacrmSim;
}>;

function summarize(log: readonly LoggedRequest[]) {
  return { requests: log.length, throttled: log.filter((l) => l.status === 429).length };
}

async function main(): Promise<void> {
  const args = PracticeArgs.parse(
    Object.fromEntries(
      process.argv
        .slice(2)
        .flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])),
    ),
  );
  const send = (reply: SimHostReply) => process.send?.(reply);
  const generated = performance.now();
  const practice = generatePractice({
    seed: args.seed,
    contacts: args.contacts,
    bookings: args.bookings,
    years: args.years,
  });
  const generateSeconds = (performance.now() - generated) / 1000;
  let running: Running | null = null;

  const stop = async () => {
    if (!running) return;
    const r: Running = running;
    running = null;
    await Promise.all([r.calcom.close(), r.calendly.close(), r.tidycal.close(), r.lacrm.close()]);
  };

  const start = async (limits: 'off' | 'default', clock: z.infer<typeof VirtualClockMessage>) => {
    await stop();
    const now = virtualNow(clock);
    const limited = limits === 'default';
    const calcom = await startCalcomSim({
      data: practice.calcom,
      now,
      rateLimit: limited ? { limit: SERVICE_LIMITS.calcom } : false,
    });
    const calendly = await startCalendlySim({
      data: practice.calendly,
      now,
      plan: 'standard',
      rateLimit: limited ? { limit: SERVICE_LIMITS.calendly } : false,
    });
    const tidycal = await startTidyCalSim({ data: practice.tidycal, now, rateLimit: false });
    const lacrm = await startLacrmSim({
      user: practice.lacrm.user,
      contacts: practice.lacrm.contacts,
      customFields: practice.lacrm.customFields,
      now,
    });
    running = { calcom, calendly, tidycal, lacrm };
    const world: WorldInfo = {
      urls: {
        calcom: calcom.baseUrl,
        calendly: calendly.baseUrl,
        tidycal: tidycal.baseUrl,
        lacrm: lacrm.baseUrl,
      },
      keys: {
        calcom: calcom.apiKey,
        calendly: calendly.apiKey,
        tidycal: tidycal.apiKey,
        lacrm: lacrm.apiKey,
      },
      advisorEmails: [...practice.advisor.emails.all],
      advisorTimeZone: practice.advisor.timeZone,
      practiceNow: practice.now,
      generateSeconds,
      serviceLimits: limited ? SERVICE_LIMITS : null,
      stats: practice.stats,
      catalog: {
        calendlyEventTypes: practice.calendly.eventTypes.length,
        tidycalBookingTypes: practice.tidycal.bookingTypes.length,
        tidycalWithoutEmbeddedType: practice.tidycal.bookings.filter((b) => !b.booking_type).length,
      },
    };
    return world;
  };

  process.on('message', (raw) => {
    const handle = async (): Promise<SimHostReply> => {
      const message = Message.parse(raw);
      switch (message.type) {
        case 'start':
          return { type: 'started', world: await start(message.limits, message.clock) };
        case 'log': {
          if (!running) throw new Error('no simulators are running');
          const r: Running = running;
          return {
            type: 'log',
            log: {
              calcom: summarize(r.calcom.log),
              calendly: summarize(r.calendly.log),
              tidycal: summarize(r.tidycal.log),
            },
          };
        }
        case 'stop':
          await stop();
          return { type: 'stopped' };
      }
    };
    handle().then(send, (error: unknown) =>
      send({ type: 'error', message: (error as Error).message ?? String(error) }),
    );
  });
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
  send({ type: 'ready' });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
