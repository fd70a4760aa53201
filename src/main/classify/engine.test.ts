// The rule engine: priority order, disabled rules, each condition, the reasons people read, the
// defaults on realistic titles, the reclassification preview and manual overrides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleSet, type ClassificationRule, type RuleConditions } from '../../shared/classification';
import { bookingSources, type BookingSource } from '../../shared/domain';
import {
  classify,
  compileRules,
  defaultRules,
  effectiveClassification,
  reclassificationPreview,
  type ClassifiableBooking,
  type PreviewBooking,
} from './engine';

function booking(overrides: Partial<PreviewBooking> = {}): PreviewBooking {
  return {
    eventTypeSlug: 'annual-review',
    eventTypeName: 'Annual Review',
    title: 'Annual Review between Advisor and Client',
    durationMinutes: 60,
    source: 'calcom',
    attendeeCount: 1,
    ...overrides,
  };
}

let nextId = 0;
function rule(
  conditions: RuleConditions,
  overrides: Partial<Omit<ClassificationRule, 'conditions'>> = {},
): ClassificationRule {
  nextId += 1;
  return {
    id: `rule-${nextId}`,
    name: `Rule ${nextId}`,
    priority: nextId * 10,
    enabled: true,
    category: 'portfolio_review',
    conditions,
    ...overrides,
  };
}

describe('classify: order and switches', () => {
  it('the lowest priority number wins, whatever the array order', () => {
    const late = rule({}, { id: 'late', priority: 50, category: 'general' });
    const early = rule({}, { id: 'early', priority: 5, category: 'tax_planning' });
    expect(classify(booking(), [late, early])).toMatchObject({
      category: 'tax_planning',
      ruleId: 'early',
    });
  });

  it('skips disabled rules', () => {
    const off = rule({}, { id: 'off', priority: 1, category: 'tax_planning', enabled: false });
    const on = rule({ minDurationMinutes: 30 }, { id: 'on', priority: 2 });
    expect(classify(booking(), [off, on])).toMatchObject({
      category: 'portfolio_review',
      ruleId: 'on',
    });
  });

  it('falls back to general with no rule id and says which rules it checked', () => {
    const result = classify(booking({ durationMinutes: 15, title: 'Quick call with Jo Bloggs' }), [
      rule({ minDurationMinutes: 20 }, { name: 'Long meetings' }),
      rule({ sources: ['tidycal'] }, { name: 'TidyCal only' }),
    ]);
    expect(result).toEqual({
      category: 'general',
      ruleId: null,
      reason:
        'No rule matched, so it counts as General. Checked “Long meetings” (15 min < 20) and “TidyCal only” (source Cal.com is not TidyCal).',
    });
  });

  it('summarises long lists of missed rules and handles an empty rule set', () => {
    const misses = Array.from({ length: 5 }, (_, i) =>
      rule({ sources: ['tidycal'] }, { name: `Miss ${i}` }),
    );
    expect(classify(booking(), misses).reason).toMatch(/“Miss 2” \(.*\) and 2 more\.$/);
    expect(classify(booking(), [])).toEqual({
      category: 'general',
      ruleId: null,
      reason: 'No rules are switched on, so it counts as General.',
    });
  });

  it('a rule without conditions applies to every meeting', () => {
    expect(classify(booking(), [rule({}, { name: 'Everything' })]).reason).toBe(
      'Rule “Everything”: applies to every meeting',
    );
  });

  it('quotes a rule name that has quotes of its own with single ones inside, not “““', () => {
    const [inTitle] = defaultRules().filter((r) => r.id === 'default-review-in-title');
    expect(
      classify(booking({ title: 'Annual Review', durationMinutes: 60 }), [inTitle!]).reason,
    ).toBe('Rule “‘Review’ in the title”: title contains “review”; 60 min ≥ 20');
  });
});

describe('classify: conditions', () => {
  it('explains a match the way the brief shows it', () => {
    const result = classify(booking({ eventTypeSlug: 'annual-review', durationMinutes: 60 }), [
      rule({ slugPattern: '*review*', minDurationMinutes: 30 }, { name: 'Portfolio reviews' }),
    ]);
    expect(result.reason).toBe(
      'Rule “Portfolio reviews”: event type slug annual-review matches *review*; 60 min ≥ 30',
    );
  });

  it('slug: any glob in a list may match; the reason names the one that did', () => {
    const r = rule({ slugPattern: ['*portfolio-review*', 'q?-check-in'] });
    expect(classify(booking({ eventTypeSlug: 'q3-check-in' }), [r]).reason).toContain(
      'event type slug q3-check-in matches q?-check-in',
    );
    expect(classify(booking({ eventTypeSlug: 'intro-call' }), [r]).reason).toContain(
      'event type slug intro-call does not match *portfolio-review* or q?-check-in',
    );
  });

  it('slug: falls back to the event-type name when the source gave no slug', () => {
    const r = rule({ slugPattern: '*annual-review*' });
    const named = booking({ eventTypeSlug: null, eventTypeName: 'Annual Review (60 min)' });
    expect(classify(named, [r]).reason).toContain(
      'event type “Annual Review (60 min)” (no slug; read as annual-review-60-min) matches *annual-review*',
    );
    const none = booking({ eventTypeSlug: null, eventTypeName: null });
    expect(classify(none, [r])).toMatchObject({ ruleId: null });
    expect(classify(none, [r]).reason).toContain('the meeting has no event type');
  });

  it('title keywords: any of them, whole words, case-insensitive; the title is never quoted', () => {
    const r = rule({ titleKeywords: ['check-in', 'review'] });
    const title = 'REVIEWS for Jo Bloggs';
    const result = classify(booking({ title }), [r]);
    expect(result.ruleId).toBe(r.id);
    expect(result.reason).toContain('title contains “review”');
    expect(result.reason).not.toContain('Bloggs');
    expect(classify(booking({ title: 'Website preview' }), [r]).ruleId).toBeNull();
    expect(classify(booking({ title: 'Check in' }), [r]).ruleId).toBe(r.id);
  });

  it('duration: both bounds are inclusive', () => {
    const r = rule({ minDurationMinutes: 30, maxDurationMinutes: 90 });
    expect(classify(booking({ durationMinutes: 29 }), [r]).ruleId).toBeNull();
    expect(classify(booking({ durationMinutes: 30 }), [r]).reason).toContain('30 min within 30–90');
    expect(classify(booking({ durationMinutes: 90 }), [r]).ruleId).toBe(r.id);
    expect(classify(booking({ durationMinutes: 91 }), [r]).reason).toContain('91 min > 90');
    const onlyMax = rule({ maxDurationMinutes: 15 });
    expect(classify(booking({ durationMinutes: 12.5 }), [onlyMax]).reason).toContain(
      '12.5 min ≤ 15',
    );
  });

  it('sources: the booking must come from one of them', () => {
    const r = rule({ sources: ['calendly', 'tidycal'] });
    expect(classify(booking({ source: 'calcom' }), [r]).reason).toContain(
      'source Cal.com is not Calendly or TidyCal',
    );
    expect(classify(booking({ source: 'tidycal' }), [r]).reason).toContain(
      'source TidyCal is one of Calendly or TidyCal',
    );
    expect(
      classify(booking({ source: 'calendly' }), [rule({ sources: ['calendly'] })]).reason,
    ).toContain('source is Calendly');
  });

  it('attendees: inclusive bounds, counted in words', () => {
    const r = rule({ minAttendees: 1, maxAttendees: 2 });
    expect(classify(booking({ attendeeCount: 0 }), [r]).reason).toContain('0 attendees < 1');
    expect(classify(booking({ attendeeCount: 1 }), [r]).reason).toContain('1 attendee within 1–2');
    expect(classify(booking({ attendeeCount: 3 }), [r]).reason).toContain('3 attendees > 2');
  });

  it('every condition must hold', () => {
    const r = rule({ slugPattern: '*review*', sources: ['calendly'] });
    expect(classify(booking({ source: 'calcom' }), [r]).ruleId).toBeNull();
    expect(classify(booking({ source: 'calendly' }), [r]).ruleId).toBe(r.id);
  });
});

describe('defaultRules', () => {
  it('is a valid rule set', () => {
    expect(RuleSet.safeParse(defaultRules()).success).toBe(true);
  });

  const cases: readonly [string, Partial<ClassifiableBooking>, string][] = [
    [
      'portfolio-review slug',
      { eventTypeSlug: 'portfolio-review', title: 'Meeting' },
      'portfolio_review',
    ],
    [
      'annual-review slug',
      { eventTypeSlug: 'annual-review-60', title: 'Catch-up' },
      'portfolio_review',
    ],
    [
      'quarterly-review slug',
      { eventTypeSlug: 'quarterly-review', title: 'Q3' },
      'portfolio_review',
    ],
    [
      'Calendly event without slug',
      { eventTypeSlug: null, eventTypeName: 'Quarterly Review', title: 'Quarterly Review' },
      'portfolio_review',
    ],
    [
      '"review" in the title',
      { eventTypeSlug: '60min', title: 'Portfolio Review: Jo & Sam Bloggs', durationMinutes: 45 },
      'portfolio_review',
    ],
    [
      'plural in the title',
      { eventTypeSlug: '30min', title: 'Mid-year reviews', durationMinutes: 30 },
      'portfolio_review',
    ],
    [
      'a 15-minute question about a review',
      { eventTypeSlug: '15min', title: 'Quick question about my review', durationMinutes: 15 },
      'general',
    ],
    [
      'a short call on a review event type',
      { eventTypeSlug: 'annual-review', durationMinutes: 10 },
      'general',
    ],
    [
      'a discovery call',
      { eventTypeSlug: 'discovery-call', title: 'Discovery call with Jo', durationMinutes: 30 },
      'general',
    ],
    [
      'preview is not review',
      { eventTypeSlug: '30min', title: 'Preview of the new client portal', durationMinutes: 30 },
      'general',
    ],
    [
      'a 20-minute review is long enough',
      { eventTypeSlug: '20min', title: 'Review', durationMinutes: 20 },
      'portfolio_review',
    ],
  ];
  it.each(cases)('%s', (_label, fields, expected) => {
    expect(classify(booking(fields), defaultRules()).category).toBe(expected);
  });
});

describe('compileRules', () => {
  // An independent reading of the rules (RegExp globs, RegExp word boundaries on ASCII titles) to
  // check the engine against on random rules and bookings.
  function oracle(b: ClassifiableBooking, rules: readonly ClassificationRule[]): string | null {
    const globRe = (glob: string) =>
      new RegExp(
        `^${[...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`.replace(/^\\([a-z0-9])$/, '$1'))).join('')}$`,
      );
    const holds = (c: RuleConditions): boolean => {
      if (c.slugPattern !== undefined) {
        const slug = b.eventTypeSlug?.toLowerCase();
        const globs = typeof c.slugPattern === 'string' ? [c.slugPattern] : c.slugPattern;
        if (!slug || !globs.some((g) => globRe(g).test(slug))) return false;
      }
      if (c.titleKeywords !== undefined) {
        const title = b.title.toLowerCase();
        const found = c.titleKeywords.some((k) =>
          new RegExp(`(^|[^a-z0-9])${k.toLowerCase()}(e?s)?($|[^a-z0-9])`).test(title),
        );
        if (!found) return false;
      }
      if (c.minDurationMinutes !== undefined && b.durationMinutes < c.minDurationMinutes)
        return false;
      if (c.maxDurationMinutes !== undefined && b.durationMinutes > c.maxDurationMinutes)
        return false;
      if (c.minAttendees !== undefined && b.attendeeCount < c.minAttendees) return false;
      if (c.maxAttendees !== undefined && b.attendeeCount > c.maxAttendees) return false;
      if (c.sources !== undefined && !c.sources.includes(b.source)) return false;
      return true;
    };
    const ordered = [...rules].filter((r) => r.enabled).sort((x, y) => x.priority - y.priority);
    return ordered.find((r) => holds(r.conditions))?.id ?? null;
  }

  const word = fc.constantFrom('review', 'annual', 'call', 'reviews', 'preview', 'q3');
  const bookingArb: fc.Arbitrary<ClassifiableBooking> = fc.record({
    eventTypeSlug: fc.option(fc.constantFrom('annual-review', 'intro-call', 'q3-review', '30min'), {
      nil: null,
    }),
    eventTypeName: fc.constant(null),
    title: fc.array(word, { maxLength: 4 }).map((words) => words.join(' ')),
    durationMinutes: fc.integer({ min: 0, max: 120 }),
    source: fc.constantFrom<BookingSource>(...bookingSources),
    attendeeCount: fc.integer({ min: 0, max: 4 }),
  });
  const conditionsArb: fc.Arbitrary<RuleConditions> = fc.record(
    {
      slugPattern: fc.oneof(
        fc.constantFrom('*review*', 'annual-*', 'q?-review', '*call'),
        fc.constantFrom<string[]>(['*review*', '30min'], ['intro-*']),
      ),
      titleKeywords: fc.array(word, { minLength: 1, maxLength: 2 }),
      minDurationMinutes: fc.integer({ min: 0, max: 60 }),
      maxDurationMinutes: fc.integer({ min: 60, max: 120 }),
      sources: fc.uniqueArray(fc.constantFrom<BookingSource>(...bookingSources), {
        minLength: 1,
      }),
      minAttendees: fc.integer({ min: 0, max: 2 }),
      maxAttendees: fc.integer({ min: 2, max: 4 }),
    },
    { requiredKeys: [] },
  );
  const rulesArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 6 })
    .chain((priorities) =>
      fc.tuple(
        ...priorities.map((priority, i) =>
          fc.record({
            id: fc.constant(`r${i}`),
            name: fc.constant(`Rule ${i}`),
            priority: fc.constant(priority),
            enabled: fc.boolean(),
            conditions: conditionsArb,
            category: fc.constantFrom('portfolio_review', 'general', 'tax_planning'),
          }),
        ),
      ),
    );

  it('picks the first enabled rule whose conditions all hold, in both fast and explained paths', () => {
    fc.assert(
      fc.property(bookingArb, rulesArb, (b, rules) => {
        expect(RuleSet.safeParse(rules).success).toBe(true);
        const classifier = compileRules(rules);
        const explained = classifier.classify(b);
        const fast = classifier.categorize(b);
        const expectedId = oracle(b, rules);
        expect(explained.ruleId).toBe(expectedId);
        expect(fast).toEqual({ category: explained.category, ruleId: explained.ruleId });
        const expectedCategory = rules.find((r) => r.id === expectedId)?.category ?? 'general';
        expect(explained.category).toBe(expectedCategory);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('reclassificationPreview', () => {
  const current = defaultRules();
  // The advisor raises the review minimum to 45 minutes and files TidyCal meetings as tax planning.
  const proposed: ClassificationRule[] = [
    rule({ sources: ['tidycal'] }, { id: 'tidycal-tax', priority: 1, category: 'tax_planning' }),
    ...current.map((r) => ({ ...r, conditions: { ...r.conditions, minDurationMinutes: 45 } })),
  ];

  it('counts category changes, from → to, and leaves overridden bookings alone', () => {
    const bookings: PreviewBooking[] = [
      booking({ durationMinutes: 60 }), // review → review (same rule)
      booking({ durationMinutes: 30 }), // review → general
      booking({ durationMinutes: 30, title: 'Review' }), // review → general
      booking({ durationMinutes: 30, overrideCategory: 'portfolio_review' }), // held by override
      booking({ durationMinutes: 60, source: 'tidycal' }), // review → tax_planning
      booking({ eventTypeSlug: 'intro', title: 'Intro', source: 'tidycal' }), // general → tax
      booking({ eventTypeSlug: 'intro', title: 'Intro' }), // general → general
    ];
    const preview = reclassificationPreview(bookings, current, proposed);
    expect(preview).toEqual({
      total: 7,
      changed: 4,
      heldByOverride: 1,
      ruleChangedOnly: 0,
      transitions: [
        { from: 'portfolio_review', to: 'general', count: 2 },
        { from: 'general', to: 'tax_planning', count: 1 },
        { from: 'portfolio_review', to: 'tax_planning', count: 1 },
      ],
      samples: [
        { index: 1, from: 'portfolio_review', to: 'general' },
        { index: 2, from: 'portfolio_review', to: 'general' },
        { index: 4, from: 'portfolio_review', to: 'tax_planning' },
        { index: 5, from: 'general', to: 'tax_planning' },
      ],
    });
  });

  it('counts bookings that keep their category under a different rule', () => {
    const swapped = current.map((r, i) => ({ ...r, priority: (current.length - i) * 10 }));
    const preview = reclassificationPreview(
      [booking({ title: 'Annual review' })],
      current,
      swapped,
    );
    expect(preview).toMatchObject({ changed: 0, ruleChangedOnly: 1, transitions: [] });
  });

  it('agrees with classifying every booking twice, and is fast on 100k bookings', () => {
    const titles = ['Annual review', 'Intro call', 'Quick question about my review', 'Q3 review'];
    const slugs = ['annual-review', 'discovery', null, '30min'];
    const bookings: PreviewBooking[] = Array.from({ length: 100_000 }, (_, i) =>
      booking({
        title: titles[i % titles.length] ?? '',
        eventTypeSlug: slugs[(i % 7) % slugs.length] ?? null,
        eventTypeName: null,
        durationMinutes: 10 + (i % 60),
        source: bookingSources[i % 3] ?? 'calcom',
        overrideCategory: i % 97 === 0 ? 'general' : null,
      }),
    );
    const started = performance.now();
    const preview = reclassificationPreview(bookings, current, proposed);
    const elapsed = performance.now() - started;

    let changed = 0;
    let held = 0;
    for (const b of bookings) {
      const before = classify(b, current).category;
      const after = classify(b, proposed).category;
      if (before !== after) {
        if (b.overrideCategory) held += 1;
        else changed += 1;
      }
    }
    expect(preview.total).toBe(100_000);
    expect(preview.changed).toBe(changed);
    expect(preview.heldByOverride).toBe(held);
    expect(preview.changed).toBeGreaterThan(0);
    expect(preview.transitions.reduce((sum, t) => sum + t.count, 0)).toBe(changed);
    expect(preview.samples).toHaveLength(20);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('effectiveClassification', () => {
  const automatic = classify(booking({ durationMinutes: 15 }), defaultRules());

  it('without an override is the rules’ result', () => {
    expect(effectiveClassification(automatic, null)).toEqual({
      ...automatic,
      overridden: false,
      automatic,
    });
  });

  it('explains an override, in the advisor’s zone, and keeps what the rules said', () => {
    const result = effectiveClassification(
      automatic,
      {
        category: 'portfolio_review',
        setAt: '2026-03-06T02:00:00Z',
        note: 'Short but a real review',
      },
      { timeZone: 'America/New_York' },
    );
    expect(result).toEqual({
      category: 'portfolio_review',
      ruleId: null,
      reason:
        'Set by you on 5 Mar 2026 as Portfolio review (note: “Short but a real review”); the rules alone would say General.',
      overridden: true,
      automatic,
    });
    expect(
      effectiveClassification(automatic, { category: 'general', setAt: '2026-03-06T02:00:00Z' })
        .reason,
    ).toBe('Set by you on 6 Mar 2026 as General; the rules agree.');
  });
});
