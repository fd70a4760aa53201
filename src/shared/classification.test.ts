// Rule schemas: what the rule editor may save, and that a rejection names what was wrong and where.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  Category,
  ClassificationOverride,
  ClassificationRule,
  RuleConditions,
  RuleSet,
  SlugPattern,
  categoryLabel,
  describeSources,
  renumberRules,
  sortRules,
} from './classification';
import { describeZodError } from './result';

function errorOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return describeZodError(result.error);
}

const validRule = {
  id: 'reviews',
  name: 'Portfolio reviews',
  priority: 10,
  enabled: true,
  conditions: { slugPattern: '*review*', minDurationMinutes: 20 },
  category: 'portfolio_review',
};

describe('Category', () => {
  it('accepts built-ins and advisor slugs, rejects anything else', () => {
    for (const ok of ['portfolio_review', 'general', 'tax_planning', 'q4_2026']) {
      expect(Category.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['', 'x', 'Tax', '1abc', 'tax-planning', 'a'.repeat(41), 'tax planning']) {
      expect(Category.safeParse(bad).success).toBe(false);
    }
  });

  it('labels built-ins by name and humanises advisor slugs', () => {
    expect(categoryLabel('portfolio_review')).toBe('Portfolio review');
    expect(categoryLabel('general')).toBe('General');
    expect(categoryLabel('tax__planning')).toBe('Tax planning');
  });
});

describe('SlugPattern', () => {
  it('takes one glob or a list, lower-cased and trimmed', () => {
    expect(SlugPattern.parse('  *Annual-Review* ')).toBe('*annual-review*');
    expect(SlugPattern.parse(['q?-review', 'review-*'])).toEqual(['q?-review', 'review-*']);
  });

  it('refuses anything that is not slug characters or wildcards (no RegExp can sneak in)', () => {
    expect(errorOf(SlugPattern, '(a+)+$')).toMatch(/only letters, digits/);
    expect(errorOf(SlugPattern, ['ok', 'not ok'])).toMatch(/^1: .*only letters, digits/);
    expect(SlugPattern.safeParse([]).success).toBe(false);
    expect(SlugPattern.safeParse('').success).toBe(false);
  });
});

describe('RuleConditions', () => {
  it('accepts an empty object (applies to every meeting) and every condition together', () => {
    expect(RuleConditions.parse({})).toEqual({});
    const all = {
      slugPattern: ['*review*'],
      titleKeywords: ['review', 'annual review'],
      minDurationMinutes: 20,
      maxDurationMinutes: 120,
      sources: ['calcom', 'tidycal'],
      minAttendees: 1,
      maxAttendees: 4,
    };
    expect(RuleConditions.parse(all)).toEqual(all);
  });

  it('names the field that is wrong', () => {
    expect(errorOf(RuleConditions, { minDurationMinutes: 60, maxDurationMinutes: 30 })).toBe(
      'maxDurationMinutes: must be at least the minimum duration (60 min)',
    );
    expect(errorOf(RuleConditions, { minAttendees: 3, maxAttendees: 2 })).toMatch(/^maxAttendees:/);
    expect(errorOf(RuleConditions, { sources: ['calcom', 'calcom'] })).toMatch(/^sources: .*twice/);
    expect(errorOf(RuleConditions, { sources: ['zoom'] })).toMatch(/^sources\.0:/);
    expect(errorOf(RuleConditions, { titleKeywords: ['—'] })).toMatch(
      /^titleKeywords\.0: .*letter/,
    );
    expect(errorOf(RuleConditions, { minDurationMinutes: 2.5 })).toMatch(/^minDurationMinutes:/);
    expect(errorOf(RuleConditions, { slugPatern: '*review*' })).toMatch(/slugPatern/);
  });
});

describe('ClassificationRule and RuleSet', () => {
  it('parses a valid rule', () => {
    expect(ClassificationRule.parse(validRule)).toEqual(validRule);
  });

  it('rejects duplicate ids and priorities, naming the clashing rule', () => {
    const clash = [validRule, { ...validRule, name: 'Copy' }];
    const message = errorOf(RuleSet, clash);
    expect(message).toContain('1.id: duplicates the id of rule 1 (“Portfolio reviews”)');
    expect(message).toContain('1.priority: duplicates the priority of rule 1');
    expect(
      RuleSet.safeParse([validRule, { ...validRule, id: 'other', priority: 20 }]).success,
    ).toBe(true);
  });

  it('sorts by priority (ties by id) and renumbers an ordered list', () => {
    const rules = [
      { id: 'b', priority: 5 },
      { id: 'c', priority: 1 },
      { id: 'a', priority: 5 },
    ];
    expect(sortRules(rules).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(renumberRules(rules).map((r) => r.priority)).toEqual([10, 20, 30]);
  });
});

describe('ClassificationOverride', () => {
  it('needs a category and a dated instant', () => {
    expect(
      ClassificationOverride.safeParse({ category: 'general', setAt: '2026-03-05T10:00:00Z' })
        .success,
    ).toBe(true);
    expect(errorOf(ClassificationOverride, { category: 'general', setAt: '2026-03-05' })).toMatch(
      /^setAt:/,
    );
  });
});

describe('describeSources', () => {
  it('joins labels with "or"', () => {
    expect(describeSources(['calcom'])).toBe('Cal.com');
    expect(describeSources(['calcom', 'calendly', 'tidycal'])).toBe('Cal.com, Calendly or TidyCal');
  });
});
