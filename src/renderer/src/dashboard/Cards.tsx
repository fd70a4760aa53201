// The figures at a glance: each card is a button that opens the list behind its number.
import type { DashboardCards } from '../../../shared/contract-metrics';
import { plural } from '../format';
import type { Drill } from './DrillDown';
import { statusDrill } from './Charts';
import { percent } from './format';

type CardSpec = Readonly<{
  id: string;
  label: string;
  value: string;
  note: string;
  tone?: string;
  drill: Drill;
}>;

export function StatCards({
  cards,
  dueSoonDays,
  onDrill,
}: {
  cards: DashboardCards;
  dueSoonDays: number;
  onDrill: (drill: Drill) => void;
}) {
  const specs: CardSpec[] = [
    {
      id: 'clients',
      label: 'Clients',
      value: cards.clients.toLocaleString(),
      note: 'with a review cadence or a review on record',
      drill: { kind: 'clients', filter: 'clients', title: 'All clients' },
    },
    {
      id: 'within',
      label: 'Reviewed within cadence',
      value: percent(cards.reviewedWithinCadenceShare),
      note: `${cards.reviewedWithinCadence.toLocaleString()} of ${plural(cards.clients, 'client')}`,
      tone: 'on_track',
      drill: {
        kind: 'clients',
        filter: 'within_cadence',
        title: 'Clients reviewed within their cadence',
        note: 'On track or due soon: their last held review is within their cadence.',
      },
    },
    {
      id: 'due_soon',
      label: 'Due soon',
      value: cards.dueSoon.toLocaleString(),
      note: `due within ${plural(dueSoonDays, 'day')}`,
      tone: 'due_soon',
      drill: statusDrill('due_soon'),
    },
    {
      id: 'overdue',
      label: 'Overdue',
      value: cards.overdue.toLocaleString(),
      note: 'review date passed, no held review',
      tone: 'overdue',
      drill: statusDrill('overdue'),
    },
    {
      id: 'never',
      label: 'Never reviewed',
      value: cards.neverReviewed.toLocaleString(),
      note: 'no held review on record',
      drill: statusDrill('never_reviewed'),
    },
    {
      id: 'upcoming',
      label: 'Upcoming reviews',
      value: cards.upcomingReviews.toLocaleString(),
      note: 'portfolio reviews booked ahead',
      drill: {
        kind: 'bookings',
        list: { kind: 'upcoming_reviews' },
        title: 'Upcoming portfolio reviews',
        note: 'Booked and not cancelled, soonest first. Only held reviews count towards status.',
      },
    },
  ];
  return (
    <div className="dash-cards" data-testid="dashboard-cards">
      {specs.map((spec) => (
        <button
          key={spec.id}
          type="button"
          className={`stat-card ${spec.tone ?? ''}`}
          onClick={() => onDrill(spec.drill)}
          aria-label={`${spec.label}: ${spec.value}, ${spec.note}. Show the list.`}
          data-testid={`card-${spec.id}`}
        >
          <span className="stat-label">{spec.label}</span>
          <span className="stat-value" data-testid={`card-${spec.id}-value`}>
            {spec.value}
          </span>
          <span className="stat-note">{spec.note}</span>
        </button>
      ))}
    </div>
  );
}
