// An empty screen that says what will appear here and what to do first.
import type { ReactNode } from 'react';

export function Empty(props: {
  title: string;
  children: ReactNode;
  steps?: readonly ReactNode[];
  testId?: string;
}) {
  return (
    <section className="empty" data-testid={props.testId ?? 'empty-state'}>
      <h2>{props.title}</h2>
      <div className="muted">{props.children}</div>
      {props.steps && props.steps.length > 0 && (
        <ol>
          {props.steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function ScreenHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header
      className="screen-header row"
      style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}
    >
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p>{props.subtitle}</p>}
      </div>
      {props.actions && <div className="row">{props.actions}</div>}
    </header>
  );
}

export function ErrorNote(props: { error: { message: string } | null }) {
  if (!props.error) return null;
  return (
    <p className="error-text" role="alert">
      {props.error.message}
    </p>
  );
}
