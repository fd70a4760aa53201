// The classification rules, edited in place: conditions on event-type slug, title keywords,
// duration, source and number of attendees; an outcome category; order by priority. Before saving,
// the advisor sees how many meetings the change would reclassify (rules:preview, over every
// meeting); saving reclassifies everything in one go and records a new rules version.
import { useEffect, useMemo, useState } from 'react';
import {
  Category,
  categoryLabel,
  renumberRules,
  RuleSet,
  sortRules,
  type ClassificationRule,
} from '../../../shared/classification';
import type { RulesPreview, RulesState } from '../../../shared/contract-metrics';
import { bookingSources, sourceLabels, type BookingSource } from '../../../shared/domain';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote } from '../components/Empty';
import { formatDateTime, plural } from '../format';

/** A rule as the form holds it: lists as comma-separated text, numbers as text. */
type DraftRule = {
  id: string;
  name: string;
  enabled: boolean;
  category: string;
  slugPatterns: string;
  titleKeywords: string;
  minDuration: string;
  maxDuration: string;
  sources: BookingSource[];
  minAttendees: string;
  maxAttendees: string;
};

function toDraft(rule: ClassificationRule): DraftRule {
  const c = rule.conditions;
  const slug =
    c.slugPattern === undefined
      ? []
      : typeof c.slugPattern === 'string'
        ? [c.slugPattern]
        : c.slugPattern;
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    category: rule.category,
    slugPatterns: slug.join(', '),
    titleKeywords: (c.titleKeywords ?? []).join(', '),
    minDuration: c.minDurationMinutes?.toString() ?? '',
    maxDuration: c.maxDurationMinutes?.toString() ?? '',
    sources: [...(c.sources ?? [])],
    minAttendees: c.minAttendees?.toString() ?? '',
    maxAttendees: c.maxAttendees?.toString() ?? '',
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A box's number, or its text when it is none (so the rule set's check says what is wrong). */
function number(text: string): number | undefined | string {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The draft as rules (priorities 10, 20, … in the order shown); unparsed, so zod can say what is wrong. */
function fromDrafts(drafts: readonly DraftRule[]): unknown[] {
  return renumberRules(
    drafts.map((d) => {
      const slugs = list(d.slugPatterns);
      const keywords = list(d.titleKeywords);
      const conditions: Record<string, unknown> = {};
      if (slugs.length) conditions.slugPattern = slugs.length === 1 ? slugs[0] : slugs;
      if (keywords.length) conditions.titleKeywords = keywords;
      const entries: [string, string][] = [
        ['minDurationMinutes', d.minDuration],
        ['maxDurationMinutes', d.maxDuration],
        ['minAttendees', d.minAttendees],
        ['maxAttendees', d.maxAttendees],
      ];
      for (const [key, value] of entries) {
        const parsed = number(value);
        if (parsed !== undefined) conditions[key] = parsed;
      }
      if (d.sources.length) conditions.sources = d.sources;
      return {
        id: d.id,
        name: d.name,
        priority: 0,
        enabled: d.enabled,
        conditions,
        category: d.category.trim(),
      };
    }),
  );
}

const FIELD_LABELS: Record<string, string> = {
  name: 'The name',
  category: 'The category',
  slugPattern: 'The event-type slug',
  titleKeywords: 'The title keywords',
  minDurationMinutes: 'The shortest length',
  maxDurationMinutes: 'The longest length',
  minAttendees: 'The fewest attendees',
  maxAttendees: 'The most attendees',
  sources: 'The sources',
};

type Problem = { rule: number; message: string };

function validate(drafts: readonly DraftRule[]): {
  rules: ClassificationRule[] | null;
  problems: Problem[];
} {
  const parsed = RuleSet.safeParse(fromDrafts(drafts));
  if (parsed.success) return { rules: parsed.data, problems: [] };
  return {
    rules: null,
    problems: parsed.error.issues.map((issue) => {
      const [index, ...rest] = issue.path;
      const field = rest.filter((p) => typeof p === 'string').pop();
      return {
        rule: typeof index === 'number' ? index : -1,
        // "The fewest attendees must be 0 or more": the box's name, then what the check said.
        message: field ? `${FIELD_LABELS[field] ?? field} ${issue.message}.` : issue.message,
      };
    }),
  };
}

function PreviewSummary({ preview, busy }: { preview: RulesPreview | null; busy: boolean }) {
  if (busy && !preview) return <p className="muted small">Working out what would change…</p>;
  if (!preview) return null;
  return (
    <div className="dash-notice" role="status" aria-live="polite" data-testid="rules-preview">
      {preview.changed === 0 ? (
        <>Saving would not change the category of any of your {plural(preview.total, 'meeting')}.</>
      ) : (
        <>
          Saving would reclassify{' '}
          <strong data-testid="rules-preview-changed">{plural(preview.changed, 'meeting')}</strong>{' '}
          of {preview.total.toLocaleString()}:{' '}
          {preview.transitions
            .map(
              (t) =>
                `${t.count.toLocaleString()} from ${categoryLabel(t.from)} to ${categoryLabel(t.to)}`,
            )
            .join('; ')}
          .
        </>
      )}
      {preview.heldByOverride > 0 && (
        <> {plural(preview.heldByOverride, 'meeting')} would move but keep your override.</>
      )}
      {preview.ruleChangedOnly > 0 && (
        <>
          {' '}
          {plural(preview.ruleChangedOnly, 'meeting')} keep their category under a different rule.
        </>
      )}
      {preview.samples.length > 0 && (
        <details>
          <summary className="small">Which meetings</summary>
          <ul className="plain small" data-testid="rules-preview-samples">
            {preview.samples.map((s) => (
              <li key={s.bookingId}>
                {formatDateTime(s.startUtc)} · {sourceLabels[s.source]} · {s.title}:{' '}
                {categoryLabel(s.from)} → {categoryLabel(s.to)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

let newRuleCounter = 0;

export function RuleEditor() {
  const state = useLoad(() => cadence().rules.get(), [], ['app:changed', 'metrics:changed']);
  const [drafts, setDrafts] = useState<{ version: number; rules: DraftRule[] } | null>(null);
  const [preview, setPreview] = useState<{ key: string; value: RulesPreview } | null>(null);
  const [previewBusy, setPreviewBusy] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const saved: RulesState | undefined = state.data;
  // Edits apply to the version they started from; a newer saved version resets them.
  const current =
    drafts && saved && drafts.version === saved.version
      ? drafts.rules
      : saved
        ? sortRules(saved.rules).map(toDraft)
        : null;
  const edit = (rules: DraftRule[]) => saved && setDrafts({ version: saved.version, rules });

  const checked = useMemo(() => (current ? validate(current) : null), [current]);
  const proposedKey = checked?.rules ? JSON.stringify(checked.rules) : null;
  const savedKey = saved ? JSON.stringify(renumberRules(sortRules(saved.rules))) : null;
  const dirty = proposedKey !== null && proposedKey !== savedKey;

  useEffect(() => {
    if (!dirty || proposedKey === null) return;
    let live = true;
    const timer = setTimeout(() => {
      setPreviewBusy(true);
      unwrap(cadence().rules.preview({ rules: JSON.parse(proposedKey) as ClassificationRule[] }))
        .then((value) => live && setPreview({ key: proposedKey, value }))
        .catch((e: Error) => live && setError(e.message))
        .finally(() => live && setPreviewBusy(false));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [dirty, proposedKey]);

  if (!saved || !current || !checked) {
    return (
      <>
        <ErrorNote error={state.error} />
        {!state.error && <p className="muted">Loading the rules…</p>}
      </>
    );
  }
  const categories = [...new Set([...saved.categories, ...current.map((d) => d.category)])].filter(
    (c) => Category.safeParse(c).success,
  );
  const update = (index: number, patch: Partial<DraftRule>) =>
    edit(current.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  const move = (index: number, by: number) => {
    const next = [...current];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    edit(next);
  };
  const shownPreview = dirty && preview && preview.key === proposedKey ? preview.value : null;

  const save = () => {
    if (!checked.rules) return;
    setSaving(true);
    setError(null);
    setMessage(null);
    unwrap(cadence().rules.save({ rules: checked.rules, expectedVersion: saved.version }))
      .then((result) => {
        setMessage(
          `Saved as version ${result.version}: ${plural(result.changed, 'meeting')} changed category.`,
        );
        setDrafts(null);
        setPreview(null);
        state.reload();
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setSaving(false));
  };

  return (
    <section className="card" aria-labelledby="rules-heading" data-testid="rules-editor">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="rules-heading">Which meetings are portfolio reviews</h2>
        <span className="muted small">
          Version {saved.version}, saved {formatDateTime(saved.savedAt)}
        </span>
      </div>
      <p className="muted small">
        Rules are tried from the top; the first rule whose conditions all hold decides the meeting’s
        category. A meeting no rule matches counts as General. An empty condition does not restrict.
        Your overrides on single meetings always win.
      </p>
      <ol className="rule-list">
        {current.map((rule, index) => {
          const problems = checked.problems.filter((p) => p.rule === index);
          return (
            <li
              key={rule.id}
              className={`rule-card${rule.enabled ? '' : ' off'}`}
              data-testid="rule"
            >
              <div className="rule-head">
                <span className="rule-order">{index + 1}</span>
                <input
                  className="rule-name"
                  value={rule.name}
                  onChange={(e) => update(index, { name: e.target.value })}
                  aria-label="Rule name"
                  data-testid="rule-name"
                />
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={rule.enabled}
                    onChange={(e) => update(index, { enabled: e.target.checked })}
                    data-testid="rule-enabled"
                  />{' '}
                  On
                </label>
                <span className="grow" />
                <button
                  type="button"
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={`Move “${rule.name}” up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  onClick={() => move(index, 1)}
                  disabled={index === current.length - 1}
                  aria-label={`Move “${rule.name}” down`}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => edit(current.filter((_, i) => i !== index))}
                  aria-label={`Remove “${rule.name}”`}
                >
                  Remove
                </button>
              </div>
              <div className="rule-grid">
                <label>
                  Event-type slug is like
                  <input
                    value={rule.slugPatterns}
                    onChange={(e) => update(index, { slugPatterns: e.target.value })}
                    placeholder="*annual-review*, quarterly-*"
                    data-testid="rule-slug"
                  />
                </label>
                <label>
                  Title contains any of
                  <input
                    value={rule.titleKeywords}
                    onChange={(e) => update(index, { titleKeywords: e.target.value })}
                    placeholder="review, check-up"
                    data-testid="rule-keywords"
                  />
                </label>
                <label>
                  Length (minutes)
                  <span className="row">
                    <input
                      className="short"
                      value={rule.minDuration}
                      onChange={(e) => update(index, { minDuration: e.target.value })}
                      placeholder="min"
                      aria-label="Shortest length in minutes"
                      inputMode="numeric"
                      data-testid="rule-min-duration"
                    />
                    to
                    <input
                      className="short"
                      value={rule.maxDuration}
                      onChange={(e) => update(index, { maxDuration: e.target.value })}
                      placeholder="max"
                      aria-label="Longest length in minutes"
                      inputMode="numeric"
                    />
                  </span>
                </label>
                <label>
                  Attendees
                  <span className="row">
                    <input
                      className="short"
                      value={rule.minAttendees}
                      onChange={(e) => update(index, { minAttendees: e.target.value })}
                      placeholder="min"
                      aria-label="Fewest attendees"
                      inputMode="numeric"
                    />
                    to
                    <input
                      className="short"
                      value={rule.maxAttendees}
                      onChange={(e) => update(index, { maxAttendees: e.target.value })}
                      placeholder="max"
                      aria-label="Most attendees"
                      inputMode="numeric"
                    />
                  </span>
                </label>
                <fieldset className="rule-sources">
                  <legend>From</legend>
                  {bookingSources.map((source) => (
                    <label key={source} className="inline">
                      <input
                        type="checkbox"
                        checked={rule.sources.includes(source)}
                        onChange={(e) =>
                          update(index, {
                            sources: e.target.checked
                              ? [...rule.sources, source]
                              : rule.sources.filter((s) => s !== source),
                          })
                        }
                      />{' '}
                      {sourceLabels[source]}
                    </label>
                  ))}
                  {rule.sources.length === 0 && <span className="muted small">any source</span>}
                </fieldset>
                <label>
                  Then the category is
                  <input
                    list="rule-categories"
                    value={rule.category}
                    onChange={(e) => update(index, { category: e.target.value })}
                    data-testid="rule-category"
                  />
                  <span className="muted small">
                    {Category.safeParse(rule.category.trim()).success
                      ? categoryLabel(rule.category.trim())
                      : 'lowercase letters, digits and _'}
                  </span>
                </label>
              </div>
              {problems.length > 0 && (
                <ul className="plain error-text small" role="alert" data-testid="rule-problems">
                  {problems.map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      <datalist id="rule-categories">
        {categories.map((c) => (
          <option key={c} value={c}>
            {categoryLabel(c)}
          </option>
        ))}
      </datalist>
      {checked.problems.some((p) => p.rule === -1) && (
        <p className="error-text">{checked.problems.find((p) => p.rule === -1)?.message}</p>
      )}
      <div className="row">
        <button
          type="button"
          onClick={() => {
            newRuleCounter += 1;
            edit([
              ...current,
              {
                ...toDraft({
                  id: `rule-${Date.now().toString(36)}-${newRuleCounter}`,
                  name: 'New rule',
                  priority: 0,
                  enabled: true,
                  conditions: { titleKeywords: ['review'] },
                  category: 'portfolio_review',
                }),
              },
            ]);
          }}
          data-testid="rule-add"
        >
          Add a rule
        </button>
        <button
          type="button"
          onClick={() => edit(saved.defaults.map(toDraft))}
          title="Put back the rules Cadence starts with (nothing is saved until you save)"
        >
          Restore the defaults
        </button>
      </div>
      {dirty && <PreviewSummary preview={shownPreview} busy={previewBusy} />}
      <div className="row" style={{ marginTop: 10 }}>
        <button
          type="button"
          className="primary"
          disabled={!dirty || saving || checked.rules === null}
          onClick={save}
          data-testid="rules-save"
        >
          {saving ? 'Saving and reclassifying…' : 'Save rules'}
        </button>
        {/* Any edit can be discarded, one the rules cannot take included. */}
        <button
          type="button"
          disabled={drafts === null || saving}
          onClick={() => setDrafts(null)}
          data-testid="rules-discard"
        >
          Discard changes
        </button>
        {message && (
          <span className="ok-text" role="status" data-testid="rules-saved">
            {message}
          </span>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
