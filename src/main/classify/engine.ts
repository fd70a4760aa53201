// The classification engine: which rule (if any) decides a booking's category, and a reason a
// person can read. Pure and synchronous; rules are compiled once (`compileRules`) so a preview over
// 100k bookings stays fast. Manual overrides are stored elsewhere; `effectiveClassification` folds
// one in and says so.
import { DateTime } from 'luxon';
import {
  FALLBACK_CATEGORY,
  categoryLabel,
  describeSources,
  sortRules,
  type Category,
  type Classification,
  type ClassificationOverride,
  type ClassificationRule,
  type RuleConditions,
} from '../../shared/classification';
import type { BookingSource } from '../../shared/domain';
import { compileGlob, type GlobMatcher } from './glob';
import { compileKeyword, slugFromName, wordsOf, type KeywordMatcher } from './words';

/** The parts of a booking the rules look at. */
export type ClassifiableBooking = Readonly<{
  eventTypeSlug: string | null;
  eventTypeName: string | null;
  title: string;
  durationMinutes: number;
  source: BookingSource;
  /** Attendees only (the advisor's own addresses are hosts). */
  attendeeCount: number;
}>;

export type { Classification } from '../../shared/classification';

// ---------------------------------------------------------------------------------------------
// Per-booking facts, computed at most once however many rules look at them

class BookingFacts {
  private words: readonly string[] | null = null;
  private slugReading: Readonly<{ slug: string | null; fromName: boolean }> | null = null;

  constructor(readonly booking: ClassifiableBooking) {}

  get titleWords(): readonly string[] {
    this.words ??= wordsOf(this.booking.title);
    return this.words;
  }

  /**
   * The slug the globs are matched against. Bookings without a slug (Cal.com bookings with no
   * event type, Calendly events read without their event type) fall back to the event-type name
   * read as a slug, so "Annual Review" still meets `*annual-review*`; the reason says so.
   */
  get slug(): Readonly<{ slug: string | null; fromName: boolean }> {
    this.slugReading ??= this.readSlug();
    return this.slugReading;
  }

  private readSlug(): Readonly<{ slug: string | null; fromName: boolean }> {
    const own = this.booking.eventTypeSlug?.trim().toLowerCase() ?? '';
    if (own) return { slug: own, fromName: false };
    const fromName = slugFromName(this.booking.eventTypeName ?? '');
    return fromName ? { slug: fromName, fromName: true } : { slug: null, fromName: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Compiled conditions

/**
 * `holds` is the fast test a preview runs 100k times; `explain` builds the words only when a
 * person will read them, for a match or for a miss alike.
 */
type CompiledCondition = Readonly<{
  holds(facts: BookingFacts): boolean;
  explain(facts: BookingFacts): string;
}>;

function formatMinutes(minutes: number): string {
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

/** In double quotes; quotes inside become single ones (“‘Review’ in the title”), not “““. */
function quoted(text: string): string {
  return `“${text.replaceAll('“', '‘').replaceAll('”', '’')}”`;
}

function listWithOr(items: readonly string[], limit = 5): string {
  const shown = items.slice(0, limit);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} or ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1] ?? ''}`;
}

function compileSlugCondition(pattern: string | readonly string[]): CompiledCondition {
  const globs = typeof pattern === 'string' ? [pattern] : pattern;
  const matchers: readonly (readonly [string, GlobMatcher])[] = globs.map((glob) => [
    glob,
    compileGlob(glob),
  ]);
  const firstHit = (slug: string) => matchers.find(([, matches]) => matches(slug));
  return {
    holds(facts) {
      const { slug } = facts.slug;
      return slug !== null && firstHit(slug) !== undefined;
    },
    explain(facts) {
      const { slug, fromName } = facts.slug;
      if (slug === null) return 'the meeting has no event type';
      const subject = fromName
        ? `event type ${quoted(facts.booking.eventTypeName?.trim() ?? '')} (no slug; read as ${slug})`
        : `event type slug ${slug}`;
      const hit = firstHit(slug);
      return hit
        ? `${subject} matches ${hit[0]}`
        : `${subject} does not match ${listWithOr(globs)}`;
    },
  };
}

function compileKeywordCondition(keywords: readonly string[]): CompiledCondition {
  const matchers: readonly (readonly [string, KeywordMatcher])[] = keywords.map((keyword) => [
    keyword,
    compileKeyword(keyword),
  ]);
  const firstHit = (facts: BookingFacts) =>
    matchers.find(([, matches]) => matches(facts.titleWords));
  return {
    holds: (facts) => firstHit(facts) !== undefined,
    // The title itself may name the client, so the reason quotes only the advisor's keyword.
    explain(facts) {
      const hit = firstHit(facts);
      return hit
        ? `title contains ${quoted(hit[0])}`
        : `title does not contain ${listWithOr(keywords.map(quoted))}`;
    },
  };
}

/** An inclusive range check on one number of the booking, explained as "60 min ≥ 30". */
function compileRangeCondition(
  valueOf: (booking: ClassifiableBooking) => number,
  describe: (value: number) => string,
  min: number | undefined,
  max: number | undefined,
): CompiledCondition {
  const holds = (facts: BookingFacts) => {
    const value = valueOf(facts.booking);
    return (min === undefined || value >= min) && (max === undefined || value <= max);
  };
  return {
    holds,
    explain(facts) {
      const value = valueOf(facts.booking);
      const shown = describe(value);
      if (min !== undefined && value < min) return `${shown} < ${min}`;
      if (max !== undefined && value > max) return `${shown} > ${max}`;
      if (min !== undefined && max !== undefined) return `${shown} within ${min}–${max}`;
      return min !== undefined ? `${shown} ≥ ${min}` : `${shown} ≤ ${max ?? ''}`;
    },
  };
}

function attendeesText(count: number): string {
  return `${count} ${count === 1 ? 'attendee' : 'attendees'}`;
}

function compileSourceCondition(sources: readonly BookingSource[]): CompiledCondition {
  const allowed = new Set(sources);
  const wanted = describeSources(sources);
  return {
    holds: (facts) => allowed.has(facts.booking.source),
    explain(facts) {
      const actual = describeSources([facts.booking.source]);
      if (!allowed.has(facts.booking.source)) return `source ${actual} is not ${wanted}`;
      return sources.length === 1 ? `source is ${actual}` : `source ${actual} is one of ${wanted}`;
    },
  };
}

/** Conditions in the order a person reads a rule: what it is, what it's called, how long, who, where. */
function compileConditions(conditions: RuleConditions): readonly CompiledCondition[] {
  const compiled: CompiledCondition[] = [];
  if (conditions.slugPattern !== undefined)
    compiled.push(compileSlugCondition(conditions.slugPattern));
  if (conditions.titleKeywords !== undefined) {
    compiled.push(compileKeywordCondition(conditions.titleKeywords));
  }
  if (conditions.minDurationMinutes !== undefined || conditions.maxDurationMinutes !== undefined) {
    compiled.push(
      compileRangeCondition(
        (booking) => booking.durationMinutes,
        formatMinutes,
        conditions.minDurationMinutes,
        conditions.maxDurationMinutes,
      ),
    );
  }
  if (conditions.minAttendees !== undefined || conditions.maxAttendees !== undefined) {
    compiled.push(
      compileRangeCondition(
        (booking) => booking.attendeeCount,
        attendeesText,
        conditions.minAttendees,
        conditions.maxAttendees,
      ),
    );
  }
  if (conditions.sources !== undefined) compiled.push(compileSourceCondition(conditions.sources));
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Rules

type CompiledRule = Readonly<{
  rule: ClassificationRule;
  conditions: readonly CompiledCondition[];
}>;

type RuleVerdict =
  | Readonly<{ matched: true; explanations: readonly string[] }>
  | Readonly<{ matched: false; firstMiss: string }>;

function judge(rule: CompiledRule, facts: BookingFacts): RuleVerdict {
  const explanations: string[] = [];
  for (const condition of rule.conditions) {
    const explanation = condition.explain(facts);
    if (!condition.holds(facts)) return { matched: false, firstMiss: explanation };
    explanations.push(explanation);
  }
  return { matched: true, explanations };
}

function matchedReason(rule: ClassificationRule, explanations: readonly string[]): string {
  const why = explanations.length > 0 ? explanations.join('; ') : 'applies to every meeting';
  return `Rule ${quoted(rule.name)}: ${why}`;
}

/** How many rules a "no rule matched" reason walks through before summarising the rest. */
const MISSES_EXPLAINED = 3;

function unmatchedReason(misses: readonly Readonly<{ name: string; why: string }>[]): string {
  const fallback = categoryLabel(FALLBACK_CATEGORY);
  if (misses.length === 0) return `No rules are switched on, so it counts as ${fallback}.`;
  const shown = misses
    .slice(0, MISSES_EXPLAINED)
    .map((miss) => `${quoted(miss.name)} (${miss.why})`);
  const more = misses.length - shown.length;
  const checked =
    more > 0
      ? `${shown.join(', ')} and ${more} more`
      : shown.length === 1
        ? (shown[0] ?? '')
        : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] ?? ''}`;
  return `No rule matched, so it counts as ${fallback}. Checked ${checked}.`;
}

function compileOrdered(rules: readonly ClassificationRule[]): readonly CompiledRule[] {
  return sortRules(rules.filter((rule) => rule.enabled)).map((rule) => ({
    rule,
    conditions: compileConditions(rule.conditions),
  }));
}

type Categorized = Readonly<{ category: Category; ruleId: string | null }>;

function categorizeFacts(ordered: readonly CompiledRule[], facts: BookingFacts): Categorized {
  for (const { rule, conditions } of ordered) {
    if (conditions.every((condition) => condition.holds(facts))) {
      return { category: rule.category, ruleId: rule.id };
    }
  }
  return { category: FALLBACK_CATEGORY, ruleId: null };
}

export type Classifier = Readonly<{
  /** Category, deciding rule and reason. */
  classify(booking: ClassifiableBooking): Classification;
  /** Category and deciding rule only: no reason text (for bulk work such as previews). */
  categorize(booking: ClassifiableBooking): Categorized;
}>;

/**
 * Compiles a rule set: disabled rules dropped, the rest in priority order (ties by id, though a
 * parsed RuleSet has none). The rules are trusted to be a parsed `RuleSet`.
 */
export function compileRules(rules: readonly ClassificationRule[]): Classifier {
  const ordered = compileOrdered(rules);
  return {
    classify(booking) {
      const facts = new BookingFacts(booking);
      const misses: { name: string; why: string }[] = [];
      for (const compiled of ordered) {
        const verdict = judge(compiled, facts);
        if (verdict.matched) {
          return {
            category: compiled.rule.category,
            ruleId: compiled.rule.id,
            reason: matchedReason(compiled.rule, verdict.explanations),
          };
        }
        misses.push({ name: compiled.rule.name, why: verdict.firstMiss });
      }
      return { category: FALLBACK_CATEGORY, ruleId: null, reason: unmatchedReason(misses) };
    },
    categorize: (booking) => categorizeFacts(ordered, new BookingFacts(booking)),
  };
}

/** The first enabled rule (by priority) whose conditions all hold decides; otherwise 'general'. */
export function classify(
  booking: ClassifiableBooking,
  rules: readonly ClassificationRule[],
): Classification {
  return compileRules(rules).classify(booking);
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** Below this a "review" is a quick question, not a portfolio review. */
export const DEFAULT_REVIEW_MIN_MINUTES = 20;

/**
 * What a new install starts with: review event types, then "review" in the title, both only for
 * meetings of at least DEFAULT_REVIEW_MIN_MINUTES. Anything else falls through to 'general'.
 */
export function defaultRules(): ClassificationRule[] {
  return [
    {
      id: 'default-review-event-types',
      name: 'Review event types',
      priority: 10,
      enabled: true,
      conditions: {
        slugPattern: ['*portfolio-review*', '*annual-review*', '*quarterly-review*'],
        minDurationMinutes: DEFAULT_REVIEW_MIN_MINUTES,
      },
      category: 'portfolio_review',
    },
    {
      id: 'default-review-in-title',
      name: '“Review” in the title',
      priority: 20,
      enabled: true,
      conditions: {
        titleKeywords: ['review'],
        minDurationMinutes: DEFAULT_REVIEW_MIN_MINUTES,
      },
      category: 'portfolio_review',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Preview of a rule edit

export type PreviewBooking = ClassifiableBooking &
  Readonly<{
    /** The advisor's manual category for this booking, if any: it wins over either rule set. */
    overrideCategory?: Category | null;
  }>;

export type CategoryTransition = Readonly<{ from: Category; to: Category; count: number }>;

export type ReclassificationPreview = Readonly<{
  total: number;
  /** Bookings whose shown category would change. */
  changed: number;
  /** Bookings the new rules would move, but which keep their category through a manual override. */
  heldByOverride: number;
  /** Bookings that keep their category but would be decided by a different rule (reason changes). */
  ruleChangedOnly: number;
  /** from → to counts of `changed`, largest first. */
  transitions: readonly CategoryTransition[];
  /** The first few changed bookings, by position in the input, for "show me which". */
  samples: readonly Readonly<{ index: number; from: Category; to: Category }>[];
}>;

export const PREVIEW_SAMPLE_LIMIT = 20;

/**
 * What saving `proposedRules` would do to `bookings`, before it is saved. One pass, no reason
 * text, rules compiled once, each title read once: fast enough to run on every edit over 100k bookings.
 */
export function reclassificationPreview(
  bookings: Iterable<PreviewBooking>,
  currentRules: readonly ClassificationRule[],
  proposedRules: readonly ClassificationRule[],
): ReclassificationPreview {
  const current = compileOrdered(currentRules);
  const proposed = compileOrdered(proposedRules);
  const transitions = new Map<string, { from: Category; to: Category; count: number }>();
  const samples: { index: number; from: Category; to: Category }[] = [];
  let total = 0;
  let changed = 0;
  let heldByOverride = 0;
  let ruleChangedOnly = 0;

  let index = 0;
  for (const booking of bookings) {
    total += 1;
    // One set of facts per booking: the title is split into words once for both rule sets.
    const facts = new BookingFacts(booking);
    const before = categorizeFacts(current, facts);
    const after = categorizeFacts(proposed, facts);
    if (before.category !== after.category) {
      if (booking.overrideCategory) {
        heldByOverride += 1;
      } else {
        changed += 1;
        // Category slugs cannot contain '>', so the key is unambiguous.
        const key = `${before.category}>${after.category}`;
        const entry = transitions.get(key);
        if (entry) entry.count += 1;
        else transitions.set(key, { from: before.category, to: after.category, count: 1 });
        if (samples.length < PREVIEW_SAMPLE_LIMIT) {
          samples.push({ index, from: before.category, to: after.category });
        }
      }
    } else if (before.ruleId !== after.ruleId && !booking.overrideCategory) {
      ruleChangedOnly += 1;
    }
    index += 1;
  }

  const sortedTransitions = [...transitions.values()].sort(
    (a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  return {
    total,
    changed,
    heldByOverride,
    ruleChangedOnly,
    transitions: sortedTransitions,
    samples,
  };
}

// ---------------------------------------------------------------------------------------------
// Manual overrides

export type EffectiveClassification = Readonly<{
  category: Category;
  /** The deciding rule, or null when no rule matched or the advisor's override decides. */
  ruleId: string | null;
  reason: string;
  overridden: boolean;
  /** What the rules alone say, kept so the UI can show it next to an override. */
  automatic: Classification;
}>;

export type EffectiveClassificationOptions = Readonly<{
  /** Zone the override date is shown in (the advisor's); UTC when not given. */
  timeZone?: string;
}>;

function overrideDate(setAt: string, zone: string): string | null {
  const when = DateTime.fromISO(setAt, { setZone: true });
  if (!when.isValid) return null;
  const local = when.setZone(zone);
  return (local.isValid ? local : when.toUTC()).setLocale('en-GB').toFormat('d LLL yyyy');
}

/** The category a booking shows: the advisor's override if there is one, else the rules'. */
export function effectiveClassification(
  automatic: Classification,
  override: ClassificationOverride | null,
  options: EffectiveClassificationOptions = {},
): EffectiveClassification {
  if (override === null) return { ...automatic, overridden: false, automatic };
  const date = overrideDate(override.setAt, options.timeZone ?? 'UTC');
  const setBy = date === null ? 'Set by you' : `Set by you on ${date}`;
  const note = override.note ? ` (note: ${quoted(override.note)})` : '';
  const rulesSay =
    automatic.category === override.category
      ? 'the rules agree'
      : `the rules alone would say ${categoryLabel(automatic.category)}`;
  return {
    category: override.category,
    ruleId: null,
    reason: `${setBy} as ${categoryLabel(override.category)}${note}; ${rulesSay}.`,
    overridden: true,
    automatic,
  };
}
