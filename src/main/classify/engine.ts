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

type ConditionOutcome = Readonly<{ matched: boolean; explanation: string }>;
type CompiledCondition = (facts: BookingFacts) => ConditionOutcome;

function formatMinutes(minutes: number): string {
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

function quoted(text: string): string {
  return `“${text}”`;
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
  return (facts) => {
    const { slug, fromName } = facts.slug;
    if (slug === null) return { matched: false, explanation: 'the meeting has no event type' };
    const subject = fromName
      ? `event type ${quoted(facts.booking.eventTypeName?.trim() ?? '')} (no slug; read as ${slug})`
      : `event type slug ${slug}`;
    const hit = matchers.find(([, matches]) => matches(slug));
    return hit
      ? { matched: true, explanation: `${subject} matches ${hit[0]}` }
      : { matched: false, explanation: `${subject} does not match ${listWithOr(globs)}` };
  };
}

function compileKeywordCondition(keywords: readonly string[]): CompiledCondition {
  const matchers: readonly (readonly [string, KeywordMatcher])[] = keywords.map((keyword) => [
    keyword,
    compileKeyword(keyword),
  ]);
  // The title itself may name the client, so the reason quotes only the advisor's keyword.
  return (facts) => {
    const hit = matchers.find(([, matches]) => matches(facts.titleWords));
    return hit
      ? { matched: true, explanation: `title contains ${quoted(hit[0])}` }
      : {
          matched: false,
          explanation: `title does not contain ${listWithOr(keywords.map(quoted))}`,
        };
  };
}

function compileDurationCondition(min: number | undefined, max: number | undefined) {
  return (facts: BookingFacts): ConditionOutcome => {
    const minutes = facts.booking.durationMinutes;
    const shown = formatMinutes(minutes);
    if (min !== undefined && minutes < min) {
      return { matched: false, explanation: `${shown} < ${min}` };
    }
    if (max !== undefined && minutes > max) {
      return { matched: false, explanation: `${shown} > ${max}` };
    }
    const explanation =
      min !== undefined && max !== undefined
        ? `${shown} within ${min}–${max}`
        : min !== undefined
          ? `${shown} ≥ ${min}`
          : `${shown} ≤ ${max ?? ''}`;
    return { matched: true, explanation };
  };
}

function attendeesText(count: number): string {
  return `${count} ${count === 1 ? 'attendee' : 'attendees'}`;
}

function compileAttendeeCondition(min: number | undefined, max: number | undefined) {
  return (facts: BookingFacts): ConditionOutcome => {
    const count = facts.booking.attendeeCount;
    const shown = attendeesText(count);
    if (min !== undefined && count < min)
      return { matched: false, explanation: `${shown} < ${min}` };
    if (max !== undefined && count > max)
      return { matched: false, explanation: `${shown} > ${max}` };
    const explanation =
      min !== undefined && max !== undefined
        ? `${shown} within ${min}–${max}`
        : min !== undefined
          ? `${shown} ≥ ${min}`
          : `${shown} ≤ ${max ?? ''}`;
    return { matched: true, explanation };
  };
}

function compileSourceCondition(sources: readonly BookingSource[]): CompiledCondition {
  const allowed = new Set(sources);
  const wanted = describeSources(sources);
  return (facts) => {
    const actual = describeSources([facts.booking.source]);
    return allowed.has(facts.booking.source)
      ? {
          matched: true,
          explanation:
            sources.length === 1 ? `source is ${actual}` : `source ${actual} is one of ${wanted}`,
        }
      : { matched: false, explanation: `source ${actual} is not ${wanted}` };
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
      compileDurationCondition(conditions.minDurationMinutes, conditions.maxDurationMinutes),
    );
  }
  if (conditions.minAttendees !== undefined || conditions.maxAttendees !== undefined) {
    compiled.push(compileAttendeeCondition(conditions.minAttendees, conditions.maxAttendees));
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
    const outcome = condition(facts);
    if (!outcome.matched) return { matched: false, firstMiss: outcome.explanation };
    explanations.push(outcome.explanation);
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

export type Classifier = Readonly<{
  /** Category, deciding rule and reason. */
  classify(booking: ClassifiableBooking): Classification;
  /** Category and deciding rule only: no reason text (for bulk work such as previews). */
  categorize(booking: ClassifiableBooking): Readonly<{ category: Category; ruleId: string | null }>;
}>;

/**
 * Compiles a rule set: disabled rules dropped, the rest in priority order (ties by id, though a
 * parsed RuleSet has none). The rules are trusted to be a parsed `RuleSet`.
 */
export function compileRules(rules: readonly ClassificationRule[]): Classifier {
  const ordered: readonly CompiledRule[] = sortRules(rules.filter((rule) => rule.enabled)).map(
    (rule) => ({ rule, conditions: compileConditions(rule.conditions) }),
  );

  const firstMatch = (facts: BookingFacts): CompiledRule | null => {
    for (const compiled of ordered) {
      if (compiled.conditions.every((condition) => condition(facts).matched)) return compiled;
    }
    return null;
  };

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
    categorize(booking) {
      const hit = firstMatch(new BookingFacts(booking));
      return hit
        ? { category: hit.rule.category, ruleId: hit.rule.id }
        : { category: FALLBACK_CATEGORY, ruleId: null };
    },
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
 * text, rules compiled once: fast enough to run on every edit over 100k bookings.
 */
export function reclassificationPreview(
  bookings: Iterable<PreviewBooking>,
  currentRules: readonly ClassificationRule[],
  proposedRules: readonly ClassificationRule[],
): ReclassificationPreview {
  const current = compileRules(currentRules);
  const proposed = compileRules(proposedRules);
  const transitions = new Map<string, { from: Category; to: Category; count: number }>();
  const samples: { index: number; from: Category; to: Category }[] = [];
  let total = 0;
  let changed = 0;
  let heldByOverride = 0;
  let ruleChangedOnly = 0;

  let index = 0;
  for (const booking of bookings) {
    total += 1;
    const before = current.categorize(booking);
    const after = proposed.categorize(booking);
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
