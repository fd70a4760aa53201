// Benchmark (not a test): the dashboard's queries on a large practice. Generates a practice
// (default 100,000 bookings, 20,000 contacts, 5 years), syncs it through the four simulators into
// an encrypted database (rate limits off), which matches and classifies it, then times the
// dashboard's queries on the practice's own clock: the whole dashboard (one read transaction) as
// it is opened again and again (the overdue counts at past month ends are remembered until the
// store changes) and the first time after a change (everything counted afresh), and each query
// alone; median and p95 over --runs runs after a warm-up. Also times the lists behind the numbers,
// a rules preview and a year's compliance report, for information.
//
//   npx tsx bench/dashboard.ts [--bookings 100000] [--contacts 20000] [--years 5] [--runs 30] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultRules } from '../src/main/classify/engine';
import { createCore } from '../src/main/core/core';
import { generatePractice } from '../src/main/demo/practice';
import { startCalcomSim } from '../src/main/demo/sim/calcom';
import { startCalendlySim } from '../src/main/demo/sim/calendly';
import { startLacrmSim } from '../src/main/demo/sim/lacrm';
import { startTidyCalSim } from '../src/main/demo/sim/tidycal';
import { policySettings } from '../src/main/metrics/policy';
import {
  contactMetrics,
  dashboard,
  dashboardCards,
  forgetPastFigures,
  meetingsPerMonth,
  overdueOverTime,
  overduePoints,
  recentMonths,
  type MetricsOptions,
} from '../src/main/metrics/queries';
import { previewRules } from '../src/main/pipeline/classification';
import { buildComplianceReport, defaultReportPeriod } from '../src/main/report/compliance-query';
import { MemorySecretStore } from '../src/main/secrets/secret-store';

const Args = z.object({
  bookings: z.coerce.number().int().min(100).max(500_000).default(100_000),
  contacts: z.coerce.number().int().min(50).max(200_000).default(20_000),
  years: z.coerce.number().int().min(1).max(20).default(5),
  runs: z.coerce.number().int().min(3).max(1000).default(30),
  json: z.string().optional(),
});

/** Keeps keys in memory but reports a working keychain, so the store is a real encrypted file. */
class BenchSecrets extends MemorySecretStore {
  override status() {
    return { available: true, message: null };
  }
}

type Timing = Readonly<{ medianMs: number; p95Ms: number; minMs: number }>;

function time(runs: number, work: () => unknown): Timing {
  for (let i = 0; i < 3; i += 1) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { medianMs: at(0.5), p95Ms: at(0.95), minMs: samples[0]! };
}

export async function benchDashboard(args: z.infer<typeof Args>) {
  const generated = performance.now();
  const practice = generatePractice({
    seed: 11,
    bookings: args.bookings,
    contacts: args.contacts,
    years: args.years,
  });
  const generateSeconds = (performance.now() - generated) / 1000;
  const calcom = await startCalcomSim({ data: practice.calcom, rateLimit: false });
  const calendly = await startCalendlySim({ data: practice.calendly, rateLimit: false });
  const tidycal = await startTidyCalSim({ data: practice.tidycal, rateLimit: false });
  const lacrm = await startLacrmSim({
    user: practice.lacrm.user,
    contacts: practice.lacrm.contacts,
    customFields: practice.lacrm.customFields,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-bench-dashboard-'));
  const secrets = new BenchSecrets();
  const now = new Date(practice.now);
  try {
    const core = await createCore({
      dataDir,
      secrets,
      clock: () => now,
      net: {
        requestsPerMinute: {
          calcom: Infinity,
          calendly: Infinity,
          tidycal: Infinity,
          lacrm: Infinity,
        },
      },
    });
    await core.call('settings:set', {
      'sources.calcom.baseUrl': calcom.baseUrl,
      'sources.calendly.baseUrl': calendly.baseUrl,
      'sources.tidycal.baseUrl': tidycal.baseUrl,
      'lacrm.baseUrl': lacrm.baseUrl,
      'advisor.emails': [...practice.advisor.emails.all],
      'review.timezone': practice.advisor.timeZone,
    });
    for (const [name, key] of [
      ['calcom', calcom.apiKey],
      ['calendly', calendly.apiKey],
      ['tidycal', tidycal.apiKey],
      ['lacrm', lacrm.apiKey],
    ] as const) {
      await secrets.set(core.context.secretAccount(name), key);
    }
    const synced = performance.now();
    const outcome = await core.call('sync:run', { sources: 'all', mode: 'full' });
    const syncSeconds = (performance.now() - synced) / 1000;
    const failed = outcome.results.filter((r) => r.state !== 'ok');
    if (failed.length)
      throw new Error(`sync failed: ${failed.map((f) => f.error?.message).join('; ')}`);
    // Quarterly reviews for the top tier, as the demo practice's advisor would set them.
    await core.call('policy:setGroup', { field: 'Client tier', value: 'Top', cadenceMonths: 3 });

    const db = core.context.db();
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const store = {
      bookings: count('SELECT count(*) FROM bookings'),
      currentBookings: count('SELECT count(*) FROM bookings WHERE superseded_by IS NULL'),
      attendees: count('SELECT count(*) FROM attendees'),
      contacts: count('SELECT count(*) FROM contacts'),
      linkedAttendees: count(
        "SELECT count(*) FROM matches WHERE state IN ('auto', 'confirmed') AND contact_id IS NOT NULL",
      ),
      reviews: count(
        "SELECT count(*) FROM booking_classifications WHERE effective_category = 'portfolio_review'",
      ),
    };
    const options: MetricsOptions = { ...policySettings(core.context.settings()), now };
    const months = recentMonths(options);
    const points = overduePoints(options);
    const sample = dashboard(db, options);
    const timings = {
      dashboardTotal: time(args.runs, () => dashboard(db, options)),
      dashboardAfterChange: time(args.runs, () => {
        forgetPastFigures(db);
        return dashboard(db, options);
      }),
      cards: time(args.runs, () => dashboardCards(db, options)),
      meetingsPerMonth: time(args.runs, () => meetingsPerMonth(db, options, months)),
      overdueOverTime: time(args.runs, () => overdueOverTime(db, options, points)),
      overdueListFirstPage: time(Math.min(args.runs, 10), () =>
        contactMetrics(db, options, { filter: 'overdue', offset: 0, limit: 200 }),
      ),
      allContactsFirstPage: time(Math.min(args.runs, 10), () =>
        contactMetrics(db, options, { filter: 'all', offset: 0, limit: 200 }),
      ),
      rulesPreview: time(3, () => previewRules(db, defaultRules().slice(0, 1))),
      complianceReportYear: time(3, () =>
        buildComplianceReport(db, {
          ...options,
          ...defaultReportPeriod(now, options.timeZone),
          advisorName: 'Bench Advisor',
        }),
      ),
    };
    core.close();
    return { generateSeconds, syncSeconds, store, cards: sample.cards, timings };
  } finally {
    await Promise.all([calcom.close(), calendly.close(), tidycal.close(), lacrm.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      bookings: { type: 'string' },
      contacts: { type: 'string' },
      years: { type: 'string' },
      runs: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const args = Args.parse(values);
  const r = await benchDashboard(args);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
  const line = (label: string, t: Timing) =>
    `  ${label.padEnd(34)} median ${ms(t.medianMs)}   p95 ${ms(t.p95Ms)}`;
  process.stdout.write(
    [
      `Dashboard benchmark: ${fmt(r.store.bookings)} bookings (${fmt(r.store.currentBookings)} current), ${fmt(r.store.attendees)} attendees, ${fmt(r.store.contacts)} contacts`,
      `  ${fmt(r.store.linkedAttendees)} attendees linked to contacts, ${fmt(r.store.reviews)} bookings classified as reviews`,
      `  practice generated in ${r.generateSeconds.toFixed(1)} s, synced (with matching and classification) in ${r.syncSeconds.toFixed(1)} s`,
      `  clients ${fmt(r.cards.clients)}: on track ${fmt(r.cards.onTrack)}, due soon ${fmt(r.cards.dueSoon)}, overdue ${fmt(r.cards.overdue)}, never reviewed ${fmt(r.cards.neverReviewed)}, upcoming reviews ${fmt(r.cards.upcomingReviews)}`,
      '',
      'The dashboard (target: under 100 ms together)',
      line('all of it, opened again', r.timings.dashboardTotal),
      line('all of it, first after a change', r.timings.dashboardAfterChange),
      line('cards (status per client)', r.timings.cards),
      line('meetings per month by category', r.timings.meetingsPerMonth),
      line('overdue over time (12 points)', r.timings.overdueOverTime),
      '',
      'Behind the numbers (for information)',
      line('overdue clients, first page', r.timings.overdueListFirstPage),
      line('every contact, first page', r.timings.allContactsFirstPage),
      line('rules preview over every booking', r.timings.rulesPreview),
      line('compliance report, last 12 months', r.timings.complianceReportYear),
      '',
    ].join('\n'),
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify(r, null, 2)}\n`);
}
