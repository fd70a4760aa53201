// Dashboard: review compliance and meeting frequency at a glance. Cards and charts come from one
// read of the store (metrics:dashboard); every number opens the list behind it. First run shows
// the Welcome card; an empty or half-set-up store says what is missing.
import { useState } from 'react';
import type { AppStatus } from '../../../shared/contract';
import { CLIENT_DEFINITION, type DashboardData } from '../../../shared/contract-metrics';
import { cadence, useLoad } from '../api';
import { Empty, ErrorNote, ScreenHeader } from '../components/Empty';
import { matchBacklogText } from '../format';
import { Welcome } from '../components/Welcome';
import { useSyncRunning } from '../sync-running';
import { StatCards } from '../dashboard/Cards';
import { MeetingsPerMonthChart, OverdueChart, StatusChart } from '../dashboard/Charts';
import { DrillDownPanel, type Drill } from '../dashboard/DrillDown';
import { calendarDate } from '../dashboard/format';
import '../dashboard/dashboard.css';
import type { Navigate } from '../navigation';

function link(navigate: Navigate, screen: Parameters<Navigate>[0], text: string) {
  return (
    <a
      href={`#/${screen}`}
      onClick={(e) => {
        e.preventDefault();
        navigate(screen);
      }}
    >
      {text}
    </a>
  );
}

/** Bookings matching has not gone over yet (a sync cancelled before it did): left out of the figures. */
const backlogLeftOut = {
  pending: (it: string) => `the figures below leave ${it} out`,
  everything: 'the figures below may be out of date',
};

function SetupNotice({ data, navigate }: { data: DashboardData; navigate: Navigate }) {
  if (data.store.contacts === 0) {
    return (
      <div className="dash-notice warn" role="status" data-testid="notice-no-contacts">
        Your meetings are here, but no Less Annoying CRM contacts yet, so Cadence cannot tell who
        your clients are. Connect Less Annoying CRM in {link(navigate, 'settings', 'Settings')} and
        press <strong>Sync now</strong>.
      </div>
    );
  }
  // Before "no meeting is linked": that is not for the advisor to fix in Review while matching
  // has not gone over the bookings.
  if (data.matchBacklog) {
    return (
      <div className="dash-notice warn" role="status" data-testid="notice-match-backlog">
        {matchBacklogText(data.matchBacklog, backlogLeftOut)} Press <strong>Sync now</strong> to
        match {data.matchBacklog.pending === 1 ? 'it' : 'them'}.
      </div>
    );
  }
  if (!data.store.hasMatches) {
    return (
      <div className="dash-notice warn" role="status" data-testid="notice-no-matches">
        No meeting is linked to a contact yet. Confirm the suggested matches in{' '}
        {link(navigate, 'review', 'Review')} to see review status per client.
      </div>
    );
  }
  if (data.cards.clients === 0) {
    return (
      <div className="dash-notice" role="status" data-testid="notice-no-clients">
        No clients yet: no linked meeting is a portfolio review and no review cadence is set. Check
        which meetings count as reviews in {link(navigate, 'rules', 'Rules')}.
      </div>
    );
  }
  return null;
}

function DashboardBody({
  data,
  navigate,
  onDrill,
}: {
  data: DashboardData;
  navigate: Navigate;
  onDrill: (drill: Drill) => void;
}) {
  return (
    <>
      <SetupNotice data={data} navigate={navigate} />
      <StatCards cards={data.cards} dueSoonDays={data.dueSoonDays} onDrill={onDrill} />
      <div className="dash-charts">
        <MeetingsPerMonthChart data={data} onDrill={onDrill} />
        <StatusChart data={data} onDrill={onDrill} />
        <OverdueChart data={data} onDrill={onDrill} />
      </div>
      <p className="client-definition" data-testid="client-definition">
        <strong>Who counts as a client?</strong> {CLIENT_DEFINITION} Only held meetings count as
        reviews: not cancelled, rejected, missed or future ones. Default cadence{' '}
        {data.defaultCadenceMonths === 12 ? 'yearly' : `every ${data.defaultCadenceMonths} months`};
        change it, and cadences per client or LACRM group, in {link(navigate, 'rules', 'Rules')}.
        Figures as of {calendarDate(data.today)} in {data.timeZone}.
      </p>
    </>
  );
}

/**
 * No booking stored yet: what to do first, from where the advisor is — nothing connected, a
 * scheduler connected but not synced (LACRM perhaps missing), or the first sync under way.
 */
function NothingYet({ navigate, status }: { navigate: Navigate; status: AppStatus | undefined }) {
  const syncing = useSyncRunning();
  const connected = (s: 'calcom' | 'calendly' | 'tidycal' | 'lacrm') =>
    status?.demo === true || status?.secrets[s].configured === true;
  const scheduler = (['calcom', 'calendly', 'tidycal'] as const).some(connected);
  const settings = link(navigate, 'settings', 'Settings');
  const after = 'Come back here to see who is due for a portfolio review and who is overdue.';
  if (syncing) {
    return (
      <Empty title="Your first sync is running" testId="dashboard-empty">
        Its progress is shown above, per source. The figures appear here once it has stored your
        bookings; you can leave this screen and come back meanwhile.
      </Empty>
    );
  }
  const steps = scheduler
    ? [
        ...(connected('lacrm')
          ? []
          : [
              <>Connect Less Annoying CRM in {settings}, so meetings are linked to your clients.</>,
            ]),
        'Press Sync now to pull your bookings and contacts.',
        after,
      ]
    : [
        <>Connect Cal.com, Calendly or TidyCal and Less Annoying CRM in {settings}.</>,
        'Press Sync now to pull your bookings and contacts.',
        after,
      ];
  return (
    <Empty title="Nothing to show yet" testId="dashboard-empty" steps={steps}>
      Once your bookings are synced, this page shows meetings per month, review status across your
      clients, and the overdue list.
    </Empty>
  );
}

export function DashboardScreen({
  navigate,
  status,
}: {
  navigate: Navigate;
  status: AppStatus | undefined;
}) {
  const nothingConnected =
    status !== undefined &&
    !status.demo &&
    !(['calcom', 'calendly', 'tidycal', 'lacrm'] as const).some(
      (s) => status.secrets[s].configured,
    );
  const dashboard = useLoad(
    () => cadence().metrics.dashboard(),
    [],
    ['app:changed', 'sync:finished', 'metrics:changed'],
  );
  const [drill, setDrill] = useState<Drill | null>(null);
  const data = dashboard.data;

  return (
    <>
      <ScreenHeader
        title="Dashboard"
        subtitle="Meeting frequency and review compliance at a glance. Select any number for the list behind it."
      />
      {nothingConnected && <Welcome navigate={navigate} />}
      <ErrorNote error={dashboard.error} />
      {data === undefined ? (
        !dashboard.error && (
          <p className="muted" data-testid="dashboard-loading" aria-live="polite">
            Working out your figures…
          </p>
        )
      ) : data.store.bookings === 0 ? (
        <NothingYet navigate={navigate} status={status} />
      ) : (
        <div data-testid="dashboard" aria-busy={dashboard.loading}>
          <DashboardBody data={data} navigate={navigate} onDrill={setDrill} />
        </div>
      )}
      {drill && <DrillDownPanel drill={drill} onClose={() => setDrill(null)} />}
    </>
  );
}
