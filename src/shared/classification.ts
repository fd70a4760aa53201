// Meeting-classification rules as the advisor edits them: zod schemas and types shared by the UI
// (rule editor, "why is this a review?") and the main-process engine (src/main/classify). Pure: the
// engine compiles these into matchers; nothing here runs a user-supplied RegExp.
//
// Ordering: each rule carries a numeric `priority`, lower first, unique within a rule set (so the
// order never depends on storage order). The UI reorders by renumbering (`renumberRules`).
// Conditions inside a rule are ANDed; an absent condition does not constrain; a rule with no
// conditions applies to every meeting.
import { z } from 'zod';
import { BookingSource, sourceLabels } from './domain';

// ---------------------------------------------------------------------------------------------
// Categories

export const builtInCategories = ['portfolio_review', 'general'] as const;
export type BuiltInCategory = (typeof builtInCategories)[number];

/** The category a meeting falls into when no rule matches. */
export const FALLBACK_CATEGORY: BuiltInCategory = 'general';

/** Built-ins and advisor-added slugs share one shape, so a stored slug needs no migration. */
export const CATEGORY_SLUG_RE = /^[a-z][a-z0-9_]{1,39}$/;

export const Category = z
  .string()
  .regex(
    CATEGORY_SLUG_RE,
    'must be a category slug: a lowercase letter, then 1–39 lowercase letters, digits or _',
  );
export type Category = z.infer<typeof Category>;

const builtInCategoryLabels: Readonly<Record<BuiltInCategory, string>> = {
  portfolio_review: 'Portfolio review',
  general: 'General',
};

function isBuiltInCategory(category: string): category is BuiltInCategory {
  return (builtInCategories as readonly string[]).includes(category);
}

/** A label a person can read: built-ins by name, advisor slugs humanised ("tax_planning" → "Tax planning"). */
export function categoryLabel(category: Category): string {
  if (isBuiltInCategory(category)) return builtInCategoryLabels[category];
  const words = category.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Conditions

/**
 * An event-type slug glob: `*` any run of characters, `?` exactly one, everything else literal,
 * compared case-insensitively. Only slug characters are allowed, so no pattern can mean anything
 * surprising (and the engine compiles it itself: linear-ish matching, no backtracking RegExp).
 */
export const SLUG_GLOB_RE = /^[a-z0-9._*?-]+$/;
export const SlugGlob = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(SLUG_GLOB_RE, 'may contain only letters, digits, - _ . and the wildcards * and ?');
export type SlugGlob = z.infer<typeof SlugGlob>;

/** One glob, or a list where any may match. */
export const SlugPattern = z.union([
  SlugGlob,
  z.array(SlugGlob).min(1, 'must list at least one pattern').max(50, 'at most 50 patterns'),
]);
export type SlugPattern = z.infer<typeof SlugPattern>;

/**
 * A title keyword or phrase, matched on whole words case- and accent-insensitively ("review"
 * matches "Annual Review" and "Reviews", not "Preview"). Punctuation is ignored.
 */
export const TitleKeyword = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .refine((text) => /[\p{L}\p{N}]/u.test(text), 'must contain a letter or a digit');

const DurationMinutes = z
  .number('must be a number of minutes')
  .int('must be whole minutes')
  .min(0, 'must be 0 or more')
  .max(1440, 'must be at most 1440 (a day)');
const AttendeeCount = z
  .number('must be a number')
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(1000, 'must be at most 1000');

export const RuleConditions = z
  .object({
    slugPattern: SlugPattern.optional(),
    /** Any of these (one is enough). */
    titleKeywords: z
      .array(TitleKeyword)
      .min(1, 'list at least one keyword, or leave the condition out')
      .max(50, 'at most 50 keywords')
      .optional(),
    /** Inclusive. */
    minDurationMinutes: DurationMinutes.optional(),
    /** Inclusive. */
    maxDurationMinutes: DurationMinutes.optional(),
    sources: z
      .array(BookingSource)
      .min(1, 'list at least one source, or leave the condition out')
      .refine((list) => new Set(list).size === list.length, 'must not list a source twice')
      .optional(),
    /** Inclusive; counts attendees, not hosts. */
    minAttendees: AttendeeCount.optional(),
    /** Inclusive. */
    maxAttendees: AttendeeCount.optional(),
  })
  .strict()
  .superRefine((conditions, ctx) => {
    const { minDurationMinutes: minD, maxDurationMinutes: maxD } = conditions;
    if (minD !== undefined && maxD !== undefined && minD > maxD) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxDurationMinutes'],
        message: `must be at least the minimum duration (${minD} min)`,
      });
    }
    const { minAttendees: minA, maxAttendees: maxA } = conditions;
    if (minA !== undefined && maxA !== undefined && minA > maxA) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxAttendees'],
        message: `must be at least the minimum number of attendees (${minA})`,
      });
    }
  });
export type RuleConditions = z.infer<typeof RuleConditions>;

// ---------------------------------------------------------------------------------------------
// Rules

export const RuleId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, - and _');

export const ClassificationRule = z
  .object({
    id: RuleId,
    name: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
    /** Lower runs first. Unique within a rule set. */
    priority: z.number().int('must be a whole number').min(0).max(1_000_000),
    enabled: z.boolean(),
    conditions: RuleConditions,
    category: Category,
  })
  .strict();
export type ClassificationRule = z.infer<typeof ClassificationRule>;

export const MAX_RULES = 200;

/** The advisor's rules. Ids and priorities are unique, so "first matching rule" is well defined. */
export const RuleSet = z
  .array(ClassificationRule)
  .max(MAX_RULES, `at most ${MAX_RULES} rules`)
  .superRefine((rules, ctx) => {
    const seenIds = new Map<string, number>();
    const seenPriorities = new Map<number, number>();
    rules.forEach((rule, index) => {
      const idAt = seenIds.get(rule.id);
      if (idAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicates the id of rule ${idAt + 1} (“${rules[idAt]?.name ?? ''}”)`,
        });
      } else {
        seenIds.set(rule.id, index);
      }
      const priorityAt = seenPriorities.get(rule.priority);
      if (priorityAt !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'priority'],
          message: `duplicates the priority of rule ${priorityAt + 1} (“${rules[priorityAt]?.name ?? ''}”)`,
        });
      } else {
        seenPriorities.set(rule.priority, index);
      }
    });
  });
export type RuleSet = z.infer<typeof RuleSet>;

/** Rules in the order the engine tries them (priority, then id so the order is total). */
export function sortRules<T extends Pick<ClassificationRule, 'priority' | 'id'>>(
  rules: readonly T[],
): T[] {
  return [...rules].sort((a, b) =>
    a.priority !== b.priority ? a.priority - b.priority : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/** After a drag-to-reorder in the UI: priorities 10, 20, 30 … in the given order. */
export function renumberRules<T extends Pick<ClassificationRule, 'priority'>>(
  orderedRules: readonly T[],
  step = 10,
): T[] {
  return orderedRules.map((rule, index) => ({ ...rule, priority: (index + 1) * step }));
}

// ---------------------------------------------------------------------------------------------
// Results

/** What the rules decided for one booking, and why, in words. */
export const Classification = z.object({
  category: Category,
  /** The rule that fired; null when no rule matched (or, in an effective result, an override). */
  ruleId: RuleId.nullable(),
  reason: z.string(),
});
export type Classification = z.infer<typeof Classification>;

/** The advisor's manual choice for one booking; stored apart from the booking so re-sync keeps it. */
export const ClassificationOverride = z.object({
  category: Category,
  setAt: z.iso.datetime({ offset: true }),
  note: z.string().trim().max(500, 'at most 500 characters').nullable().optional(),
});
export type ClassificationOverride = z.infer<typeof ClassificationOverride>;

/** "Cal.com", "Calendly or TidyCal": for rule summaries in the UI and the engine's reasons. */
export function describeSources(sources: readonly BookingSource[]): string {
  const labels = sources.map((source) => sourceLabels[source]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1] ?? ''}`;
}
