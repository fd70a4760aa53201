// Classification in the pipeline, against the scheduler simulators: every synced booking is
// classified in its page's transaction, with the rule and the reason; the default rules agree with
// the practice's truth; an override survives a full re-sync and an edit of the booking at the
// source; a rules edit is previewed with exact counts and saved in one transaction; a booking a
// webhook hint stores outside a sync is classified before any figure is read.
import { describe, expect, it } from 'vitest';
import { upsertBooking } from '../../src/main/db/queries/bookings';
import type { CalcomBooking } from '../../src/main/demo/sim/calcom';
import { defaultRules } from '../../src/main/classify/engine';
import type { Core } from '../../src/main/core/core';
import { coreFor } from '../helpers/world-core';
import { startWorld, type World } from '../helpers/world';
import { booking } from './metrics-fixtures';

async function synced(options: Parameters<typeof startWorld>[0] = {}) {
  const world = await startWorld({ practice: { seed: 5, clients: 40, years: 1 }, ...options });
  const core = await coreFor(world);
  const outcome = await core.call('sync:run', { sources: ['calcom', 'calendly', 'tidycal'] });
  expect(outcome.results.every((r) => r.state === 'ok')).toBe(true);
  return { world, core };
}

async function closeAll(world: World, core: Core) {
  await core.context.secrets.delete(`${core.context.profile.profileId}:db-key`);
  core.close();
  await world.close();
}

describe('classification after sync', () => {
  it('classifies every booking with its rule and reason, in agreement with the practice', async () => {
    const { world, core } = await synced();
    try {
      const db = core.context.db();
      const rows = db
        .prepare(
          `SELECT b.source, b.source_id, k.category, k.rule_id, k.rule_name, k.reason, k.stale, k.rules_version
           FROM bookings b JOIN booking_classifications k ON k.booking_id = b.id`,
        )
        .all() as {
        source: string;
        source_id: string;
        category: string;
        rule_id: string | null;
        rule_name: string | null;
        reason: string;
        stale: number;
        rules_version: number;
      }[];
      expect(rows.length).toBe(db.prepare('SELECT count(*) FROM bookings').pluck().get() as number);
      expect(rows.filter((r) => r.stale === 1 || r.rules_version !== 1)).toEqual([]);
      for (const row of rows) {
        if (row.rule_id === null) {
          expect(row.category).toBe('general');
          expect(row.reason).toMatch(/^No rule matched/);
        } else {
          expect(row.rule_name).toBe(defaultRules().find((r) => r.id === row.rule_id)!.name);
          expect(row.reason).toMatch(/^Rule “/);
        }
      }
      // Against the truth: every real review is found; general meetings with "Review" in their
      // name (an insurance review) are the only kind the default rules call reviews wrongly.
      const byKey = new Map(rows.map((r) => [`${r.source}:${r.source_id}`, r]));
      let reviewsFound = 0;
      let reviews = 0;
      for (const meeting of world.practice.truth.meetings) {
        const last = byKey.get(
          `${meeting.source}:${meeting.bookingIds[meeting.bookingIds.length - 1]}`,
        );
        if (!last) continue;
        if (meeting.category === 'portfolio_review') {
          reviews += 1;
          if (last.category === 'portfolio_review') reviewsFound += 1;
        } else if (last.category === 'portfolio_review') {
          expect(meeting.kind).toBe('insurance_review');
        }
      }
      expect(reviews).toBeGreaterThan(20);
      expect(reviewsFound / reviews).toBeGreaterThan(0.95);
    } finally {
      await closeAll(world, core);
    }
  });

  it('keeps an override through a full re-sync and an edit at the source', async () => {
    const { world, core } = await synced();
    try {
      const db = core.context.db();
      const target = world.calcom.state
        .bookings()
        .find((b) => /review/i.test(b.title) && b.status === 'accepted') as CalcomBooking;
      const id = db
        .prepare("SELECT id FROM bookings WHERE source = 'calcom' AND source_id = ?")
        .pluck()
        .get(target.uid) as number;
      const before = await core.call('classification:get', { bookingId: id });
      expect(before.category).toBe('portfolio_review');
      await core.call('classification:override', {
        bookingId: id,
        category: 'general',
        note: 'Only a quick call',
      });

      await core.call('sync:run', { sources: ['calcom'], mode: 'full' });
      world.calcom.state.edit(target.uid, { title: `${target.title} (moved room)` });
      await core.call('sync:run', { sources: ['calcom'] });

      const after = await core.call('classification:get', { bookingId: id });
      // Same row (upserted in place), reclassified after the edit, the override still shown.
      expect(db.prepare('SELECT title FROM bookings WHERE id = ?').pluck().get(id)).toMatch(
        /moved room/,
      );
      expect(after.classifiedAt > before.classifiedAt).toBe(true);
      expect(after).toMatchObject({
        category: 'general',
        overridden: true,
        automatic: { category: 'portfolio_review' },
        override: { category: 'general', note: 'Only a quick call' },
      });
      expect(after.reason).toMatch(
        /^Set by you on .* as General \(note: “Only a quick call”\); the rules alone would say Portfolio review\.$/,
      );
      const audit = db
        .prepare("SELECT action, subject_id FROM audit_log WHERE action LIKE 'classification.%'")
        .all();
      expect(audit).toEqual([{ action: 'classification.override_set', subject_id: String(id) }]);
    } finally {
      await closeAll(world, core);
    }
  });

  it('previews a rules edit with exact counts, then saves it in one go', async () => {
    const { world, core } = await synced();
    try {
      const db = core.context.db();
      const byTitleRule = db
        .prepare(
          `SELECT k.booking_id, o.booking_id IS NOT NULL AS overridden FROM booking_classifications k
           JOIN bookings b ON b.id = k.booking_id LEFT JOIN classification_overrides o ON o.booking_id = k.booking_id
           WHERE b.superseded_by IS NULL AND k.rule_id = 'default-review-in-title'`,
        )
        .all() as { booking_id: number; overridden: number }[];
      expect(byTitleRule.length).toBeGreaterThan(3);
      // One of them is held by an override.
      await core.call('classification:override', {
        bookingId: byTitleRule[0]!.booking_id,
        category: 'portfolio_review',
      });

      const { rules, version } = await core.call('rules:get', {});
      const withoutTitleRule = rules.filter((r) => r.id !== 'default-review-in-title');
      const preview = await core.call('rules:preview', { rules: withoutTitleRule });
      const total = db
        .prepare('SELECT count(*) FROM bookings WHERE superseded_by IS NULL')
        .pluck()
        .get() as number;
      expect(preview).toMatchObject({
        total,
        changed: byTitleRule.length - 1,
        heldByOverride: 1,
        transitions: [{ from: 'portfolio_review', to: 'general', count: byTitleRule.length - 1 }],
      });
      // Nothing was written by the preview.
      expect((await core.call('rules:get', {})).version).toBe(version);

      const saved = await core.call('rules:save', {
        rules: withoutTitleRule,
        expectedVersion: version,
      });
      expect(saved).toMatchObject({ version: version + 1, changed: byTitleRule.length - 1 });
      expect(
        db
          .prepare(
            "SELECT count(*) FROM booking_classifications WHERE rule_id = 'default-review-in-title'",
          )
          .pluck()
          .get(),
      ).toBe(0);
      expect(
        db
          .prepare('SELECT count(*) FROM booking_classifications WHERE rules_version <> ?')
          .pluck()
          .get(saved.version),
      ).toBe(0);
      // A second save from the old version is refused, naming the conflict.
      await expect(core.call('rules:save', { rules, expectedVersion: version })).rejects.toThrow(
        /changed elsewhere/,
      );
      const audit = db
        .prepare("SELECT detail_json FROM audit_log WHERE action = 'classification.rules_saved'")
        .pluck()
        .all() as string[];
      expect(audit.map((d) => JSON.parse(d) as { version: number; changed: number })).toEqual([
        expect.objectContaining({ version: saved.version, changed: saved.changed }),
      ]);
    } finally {
      await closeAll(world, core);
    }
  });

  it('classifies a booking stored outside a sync before figures are read', async () => {
    const { world, core } = await synced();
    try {
      const db = core.context.db();
      db.transaction(() =>
        upsertBooking(
          db,
          booking({ id: 'hint-1', local: '2026-01-10T10:00', kind: 'review', attendees: [] }),
          null,
          new Date().toISOString(),
        ),
      )();
      const id = db
        .prepare("SELECT id FROM bookings WHERE source_id = 'hint-1'")
        .pluck()
        .get() as number;
      expect(
        db
          .prepare('SELECT stale FROM booking_classifications WHERE booking_id = ?')
          .pluck()
          .get(id),
      ).toBe(1);
      await core.call('metrics:dashboard', {});
      expect(
        db
          .prepare('SELECT category, stale FROM booking_classifications WHERE booking_id = ?')
          .get(id),
      ).toEqual({ category: 'portfolio_review', stale: 0 });
    } finally {
      await closeAll(world, core);
    }
  });
});
