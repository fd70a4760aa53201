// The review policy: how often each client should be reviewed. A default (review.defaultCadenceMonths),
// a cadence per LACRM group (a custom field's value, such as "Client tier" = "Top"), one per
// client, and the due-soon window; the advisor's zone decides what day a review was held on.
import { useState } from 'react';
import type { ContactSummary } from '../../../shared/contract-match';
import type { ReviewPolicy } from '../../../shared/contract-metrics';
import { isValidTimeZone } from '../../../shared/settings';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote } from '../components/Empty';
import { plural } from '../format';

const CADENCE_CHOICES = [1, 2, 3, 4, 6, 12, 18, 24, 36];

function cadenceName(months: number): string {
  switch (months) {
    case 1:
      return 'Monthly';
    case 3:
      return 'Quarterly';
    case 6:
      return 'Every 6 months';
    case 12:
      return 'Yearly';
    case 24:
      return 'Every 2 years';
    default:
      return `Every ${months} months`;
  }
}

function CadenceSelect({
  value,
  onChange,
  testId,
  label,
}: {
  value: number;
  onChange: (months: number) => void;
  testId?: string;
  label: string;
}) {
  const choices = CADENCE_CHOICES.includes(value) ? CADENCE_CHOICES : [...CADENCE_CHOICES, value];
  return (
    <select
      value={value}
      onChange={(e) => onChange(Number(e.target.value))}
      aria-label={label}
      data-testid={testId}
    >
      {choices
        .sort((a, b) => a - b)
        .map((months) => (
          <option key={months} value={months}>
            {cadenceName(months)}
          </option>
        ))}
    </select>
  );
}

function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = (work: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    setError(null);
    work()
      .then(() => after?.())
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  return { busy, error, run };
}

function DefaultsForm({ policy, onSaved }: { policy: ReviewPolicy; onSaved: () => void }) {
  const [months, setMonths] = useState<number | null>(null);
  const [days, setDays] = useState<string | null>(null);
  const [zone, setZone] = useState<string | null>(null);
  const action = useAction();
  // A value the settings would refuse is said here, in words, before anything is asked.
  const [problem, setProblem] = useState<string | null>(null);
  const shownMonths = months ?? policy.defaultCadenceMonths;
  const shownDays = days ?? String(policy.dueSoonDays);
  const shownZone = zone ?? policy.timeZone;
  const changed = months !== null || days !== null || zone !== null;
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <form
      className="policy-defaults"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const dueSoon = shownDays.trim();
        if (!/^\d+$/.test(dueSoon) || Number(dueSoon) > 365) {
          setProblem(
            'Due soon needs a whole number of days, 0 to 365 (0: a review is never shown as due soon).',
          );
          return;
        }
        if (!isValidTimeZone(shownZone.trim())) {
          setProblem(
            `“${shownZone.trim()}” is not a time zone Cadence knows: pick one from the list, such as America/New_York.`,
          );
          return;
        }
        setProblem(null);
        action.run(
          () =>
            unwrap(
              cadence().settings.set({
                'review.defaultCadenceMonths': shownMonths,
                'review.dueSoonDays': Number(dueSoon),
                'review.timezone': shownZone.trim(),
              }),
            ),
          () => {
            setMonths(null);
            setDays(null);
            setZone(null);
            onSaved();
          },
        );
      }}
    >
      <label>
        Review every client
        <CadenceSelect
          value={shownMonths}
          onChange={setMonths}
          label="Default cadence"
          testId="policy-default-cadence"
        />
      </label>
      <label>
        Due soon from (days before)
        <input
          type="number"
          min={0}
          max={365}
          value={shownDays}
          onChange={(e) => setDays(e.target.value)}
          data-testid="policy-due-soon"
        />
      </label>
      <label>
        Your time zone
        <input
          list="policy-zones"
          value={shownZone}
          onChange={(e) => setZone(e.target.value)}
          data-testid="policy-zone"
        />
        <datalist id="policy-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <button type="submit" disabled={!changed || action.busy} data-testid="policy-defaults-save">
        Save
      </button>
      {(problem ?? action.error) && (
        <p className="error-text" role="alert" data-testid="policy-defaults-problem">
          {problem ?? action.error}
        </p>
      )}
    </form>
  );
}

function GroupForm({ policy, onSaved }: { policy: ReviewPolicy; onSaved: () => void }) {
  const [field, setField] = useState('');
  const [value, setValue] = useState('');
  const [months, setMonths] = useState(3);
  const action = useAction();
  const fieldChoice = policy.fields.find((f) => f.field === field) ?? policy.fields[0];
  const shownField = field || fieldChoice?.field || '';
  const values = policy.fields.find((f) => f.field === shownField)?.values ?? [];
  const shownValue = value || values[0]?.value || '';
  if (policy.fields.length === 0) {
    return (
      <p className="muted small">
        Groups come from your Less Annoying CRM custom fields (such as “Client tier”). None with
        shared values has been synced yet.
      </p>
    );
  }
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        action.run(
          () =>
            unwrap(
              cadence().policy.setGroup({
                field: shownField,
                value: shownValue,
                cadenceMonths: months,
              }),
            ),
          onSaved,
        );
      }}
    >
      <label className="inline">
        Contacts whose{' '}
        <select
          value={shownField}
          onChange={(e) => {
            setField(e.target.value);
            setValue('');
          }}
          data-testid="group-field"
        >
          {policy.fields.map((f) => (
            <option key={f.field} value={f.field}>
              {f.field}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        is{' '}
        <select
          value={shownValue}
          onChange={(e) => setValue(e.target.value)}
          data-testid="group-value"
        >
          {values.map((v) => (
            <option key={v.value} value={v.value}>
              {v.value} ({plural(v.contacts, 'contact')})
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        are reviewed{' '}
        <CadenceSelect
          value={months}
          onChange={setMonths}
          label="Group cadence"
          testId="group-cadence"
        />
      </label>
      <button type="submit" disabled={action.busy || !shownValue} data-testid="group-add">
        Set
      </button>
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
    </form>
  );
}

function ContactForm({ onSaved }: { onSaved: () => void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<ContactSummary[]>([]);
  const [chosen, setChosen] = useState<ContactSummary | null>(null);
  const [months, setMonths] = useState(6);
  const action = useAction();
  return (
    <div className="policy-contact">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!query.trim()) return;
          action.run(async () =>
            setFound(await unwrap(cadence().contacts.search({ query, limit: 8 }))),
          );
        }}
      >
        <input
          type="search"
          placeholder="Find a client by name or email"
          aria-label="Find a client by name or email"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="policy-contact-search"
        />
        <button type="submit" disabled={action.busy}>
          Find
        </button>
      </form>
      {found.length > 0 && !chosen && (
        <ul className="plain small">
          {found.map((contact) => (
            <li key={contact.contactId}>
              <button className="number-link" onClick={() => setChosen(contact)}>
                {contact.name}
              </button>{' '}
              <span className="muted">{contact.emails[0] ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <div className="row">
          <strong>{chosen.name}</strong>
          <CadenceSelect value={months} onChange={setMonths} label="Client cadence" />
          <button
            className="primary"
            disabled={action.busy}
            onClick={() =>
              action.run(
                () =>
                  unwrap(
                    cadence().policy.setContact({
                      contactId: chosen.contactId,
                      cadenceMonths: months,
                    }),
                  ),
                () => {
                  setChosen(null);
                  setFound([]);
                  setQuery('');
                  onSaved();
                },
              )
            }
          >
            Set cadence
          </button>
          <button onClick={() => setChosen(null)}>Cancel</button>
        </div>
      )}
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
    </div>
  );
}

export function PolicyEditor() {
  const policy = useLoad(() => cadence().policy.get(), [], ['app:changed', 'metrics:changed']);
  const removal = useAction();
  const p = policy.data;
  return (
    <section className="card" aria-labelledby="policy-heading" data-testid="policy-editor">
      <h2 id="policy-heading">How often each client is reviewed</h2>
      <p className="muted small">
        A client’s cadence is their own if you set one, else the shortest of their groups’, else the
        default. Next review due = last held review + cadence, with month ends kept (31 January + 1
        month = 28 or 29 February).
      </p>
      <ErrorNote error={policy.error} />
      {p && (
        <>
          <DefaultsForm policy={p} onSaved={policy.reload} />
          <h3 className="policy-subhead">By LACRM group</h3>
          {p.groups.length > 0 && (
            <table className="data" data-testid="policy-groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Cadence</th>
                  <th scope="col">Contacts</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {p.groups.map((g) => (
                  <tr key={g.id} data-testid="policy-group">
                    <td>
                      {g.field} = <strong>{g.value}</strong>
                    </td>
                    <td>{cadenceName(g.cadenceMonths)}</td>
                    <td>{g.members.toLocaleString()}</td>
                    <td>
                      <button
                        className="danger"
                        disabled={removal.busy}
                        onClick={() =>
                          removal.run(
                            () => unwrap(cadence().policy.deleteGroup({ id: g.id })),
                            policy.reload,
                          )
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <GroupForm policy={p} onSaved={policy.reload} />
          <h3 className="policy-subhead">For one client</h3>
          {p.contacts.length > 0 && (
            <table className="data" data-testid="policy-contacts">
              <tbody>
                {p.contacts.map((c) => (
                  <tr key={c.contactId}>
                    <td>{c.name}</td>
                    <td>{cadenceName(c.cadenceMonths)}</td>
                    <td>
                      <button
                        className="danger"
                        disabled={removal.busy}
                        onClick={() =>
                          removal.run(
                            () =>
                              unwrap(
                                cadence().policy.setContact({
                                  contactId: c.contactId,
                                  cadenceMonths: null,
                                }),
                              ),
                            policy.reload,
                          )
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ContactForm onSaved={policy.reload} />
          {removal.error && (
            <p className="error-text" role="alert">
              {removal.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
