// Settings → CRM fields: which of the advisor's own LACRM contact fields Cadence writes its review
// facts to (each optional), checked against LACRM's field list (the name must exist exactly and
// have the right type), and whether held reviews also get a note, from an editable template.
import { useState } from 'react';
import {
  crmFacts,
  notePlaceholders,
  unknownNotePlaceholders,
  type CrmFact,
  type FieldCheck,
} from '../../../shared/contract-changes';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote } from '../components/Empty';

const facts = Object.keys(crmFacts) as CrmFact[];

type Draft = Readonly<{
  labels: Readonly<Record<CrmFact, string>>;
  notesEnabled: boolean;
  template: string;
}>;

function draftOf(settings: Settings): Draft {
  return {
    labels: Object.fromEntries(facts.map((f) => [f, settings[crmFacts[f].setting]])) as Record<
      CrmFact,
      string
    >,
    notesEnabled: settings['lacrm.notes.enabled'],
    template: settings['lacrm.notes.template'],
  };
}

export function CrmFieldsCard() {
  const settings = useLoad(() => cadence().settings.get(), [], []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [check, setCheck] = useState<FieldCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // What the form shows: the advisor's edits once they start typing, the stored settings before.
  const form = draft ?? (settings.data ? draftOf(settings.data) : null);

  const runCheck = async () => {
    try {
      setCheck(await unwrap(cadence().changes.checkFields()));
    } catch (e) {
      setCheck(null);
      throw e;
    }
  };

  const act = (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    work()
      .then(setSaved)
      .catch((e: Error) => setError(e))
      .finally(() => setBusy(false));
  };

  const save = () =>
    act(async () => {
      if (!form) return null;
      const patch: SettingsPatch = {
        'lacrm.notes.enabled': form.notesEnabled,
        'lacrm.notes.template': form.template,
      };
      for (const fact of facts) patch[crmFacts[fact].setting] = form.labels[fact].trim();
      const next = await unwrap(cadence().settings.set(patch));
      setDraft(draftOf(next));
      const plan = await unwrap(cadence().changes.plan());
      const mapped = facts.some((f) => next[crmFacts[f].setting] !== '');
      if (mapped) await runCheck().catch(() => undefined);
      const moved = plan.proposed + plan.updated + plan.reproposed + plan.withdrawn;
      return `Saved. ${moved > 0 ? `The change list was updated (${moved} changes).` : 'The change list is up to date.'}`;
    });

  const unknown = form ? unknownNotePlaceholders(form.template) : [];
  const checkOf = (fact: CrmFact) => check?.checks.find((c) => c.fact === fact);

  return (
    <section
      className="card crm-fields"
      aria-labelledby="crm-fields-heading"
      data-testid="crm-fields"
    >
      <h2 id="crm-fields-heading">CRM fields</h2>
      <p className="muted">
        Cadence can keep these facts up to date on each client in Less Annoying CRM. Type the name
        of your own contact field for each one, exactly as it appears in LACRM, or leave it empty to
        leave that fact out. Every update is proposed on the Changes screen for your approval first.
      </p>
      <ErrorNote error={error ?? settings.error} />
      {form && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <datalist id="lacrm-field-names">
            {check?.available.map((f) => (
              <option key={f.name} value={f.name}>
                {f.type}
              </option>
            ))}
          </datalist>
          {facts.map((fact) => {
            const result = checkOf(fact);
            return (
              <div className="field" key={fact}>
                <label htmlFor={`crm-field-${fact}`}>{crmFacts[fact].label}</label>
                <input
                  id={`crm-field-${fact}`}
                  type="text"
                  list="lacrm-field-names"
                  placeholder="Your LACRM field name (empty: not written)"
                  value={form.labels[fact]}
                  onChange={(e) =>
                    setDraft({ ...form, labels: { ...form.labels, [fact]: e.target.value } })
                  }
                  data-testid={`crm-field-${fact}`}
                />
                <div className="hint">
                  Needs a {crmFacts[fact].type} field.{' '}
                  {result && result.label === form.labels[fact].trim() && result.label !== '' && (
                    <span
                      className={result.ok ? 'ok-text' : 'error-text'}
                      data-testid={`crm-field-${fact}-check`}
                    >
                      {result.ok ? 'Found in LACRM.' : result.problem}
                    </span>
                  )}
                </div>
              </div>
            );
          })}
          <div className="field">
            <label className="row" style={{ fontWeight: 'normal' }}>
              <input
                type="checkbox"
                checked={form.notesEnabled}
                onChange={(e) => setDraft({ ...form, notesEnabled: e.target.checked })}
                data-testid="crm-notes-enabled"
              />
              Add a note to the client’s history for each held portfolio review
            </label>
          </div>
          <div className="field">
            <label htmlFor="crm-note-template">Review note</label>
            <textarea
              id="crm-note-template"
              value={form.template}
              maxLength={4000}
              disabled={!form.notesEnabled}
              onChange={(e) => setDraft({ ...form, template: e.target.value })}
              data-testid="crm-note-template"
            />
            <div className="hint">
              You can use{' '}
              {Object.entries(notePlaceholders).map(([name, meaning], i) => (
                <span key={name} title={meaning}>
                  {i > 0 ? ', ' : ''}
                  <code>{`{${name}}`}</code>
                </span>
              ))}
              . Cadence adds a reference line (like <code>[cadence:calcom:…]</code>) at the end so
              it never writes the same note twice.
              {unknown.length > 0 && (
                <div className="error-text">
                  Cadence does not know {unknown.map((u) => `{${u}}`).join(', ')}; it will be
                  written as typed.
                </div>
              )}
            </div>
          </div>
          <div className="row">
            <button type="submit" className="primary" disabled={busy} data-testid="crm-fields-save">
              Save
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                act(async () => {
                  await runCheck();
                  return 'Checked against your LACRM fields.';
                })
              }
              data-testid="crm-fields-check"
            >
              Check against LACRM
            </button>
            {saved && (
              <span className="ok-text" role="status" data-testid="crm-fields-saved">
                {saved}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
