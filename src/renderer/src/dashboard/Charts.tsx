// The dashboard's charts (recharts): meetings per month by category (stacked bars), review status
// across clients (bars), clients overdue at each month end (line). A click on a bar or a point
// opens the list behind it; under each chart the same numbers sit in a small table of links, for
// the keyboard and for screen readers.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DashboardData, ReviewStatus } from '../../../shared/contract-metrics';
import { reviewStatuses } from '../../../shared/contract-metrics';
import { plural } from '../format';
import type { Drill } from './DrillDown';
import {
  calendarDate,
  categoryColor,
  categoryLabel,
  monthLabel,
  reviewStatusLabels,
  statusColors,
} from './format';

type OnDrill = (drill: Drill) => void;

const AXIS = { fontSize: 12, fill: '#6b7077' };
const GRID = '#d9d9d2';

/** Categories in the order the stack draws them: reviews at the bottom, general next. */
function chartCategories(data: DashboardData): string[] {
  const present = new Set(data.meetingsPerMonth.map((m) => m.category));
  const order = ['portfolio_review', 'general'];
  return [
    ...order.filter((c) => present.has(c)),
    ...[...present].filter((c) => !order.includes(c)).sort(),
  ];
}

export function MeetingsPerMonthChart({
  data,
  onDrill,
}: {
  data: DashboardData;
  onDrill: OnDrill;
}) {
  const categories = chartCategories(data);
  const rows = data.months.map((month) => {
    const row: Record<string, string | number> = { month, label: monthLabel(month, true) };
    for (const category of categories) row[category] = 0;
    for (const m of data.meetingsPerMonth) if (m.month === month) row[m.category] = m.meetings;
    return row;
  });
  const openMonth = (month: string, category?: string) =>
    onDrill({
      kind: 'bookings',
      list: { kind: 'month', month, ...(category ? { category } : {}) },
      title: `${category ? categoryLabel(category) : 'Meetings'} held in ${monthLabel(month)}`,
    });
  const total = data.meetingsPerMonth.reduce((sum, m) => sum + m.meetings, 0);
  return (
    <section className="chart-card" aria-labelledby="chart-months" data-testid="chart-months">
      <h2 id="chart-months">Meetings held per month</h2>
      <p className="chart-note">
        {plural(total, 'meeting')} held in the last 12 months, by category. Select a bar for its
        meetings.
      </p>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke={GRID} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: GRID }} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: 'rgba(31, 122, 133, 0.08)' }}
            labelFormatter={(_, payload) => monthLabel(String(payload?.[0]?.payload?.month ?? ''))}
            formatter={(value, name) => [
              Number(value).toLocaleString(),
              categoryLabel(String(name)),
            ]}
          />
          <Legend
            formatter={(value) => categoryLabel(String(value))}
            wrapperStyle={{ fontSize: 12 }}
            iconType="square"
          />
          {categories.map((category, index) => (
            <Bar
              key={category}
              dataKey={category}
              stackId="meetings"
              fill={categoryColor(category, index)}
              isAnimationActive={false}
              onClick={(bar) => openMonth(String(bar.payload?.month ?? ''), category)}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <details className="chart-numbers">
        <summary>The numbers</summary>
        <table className="data" data-testid="months-table">
          <thead>
            <tr>
              <th scope="col">Month</th>
              {categories.map((c) => (
                <th scope="col" key={c}>
                  {categoryLabel(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row.month)}>
                <th scope="row">{monthLabel(String(row.month))}</th>
                {categories.map((c) => (
                  <td key={c}>
                    <button
                      className="number-link"
                      onClick={() => openMonth(String(row.month), c)}
                      data-testid={`months-${String(row.month)}-${c}`}
                    >
                      {Number(row[c]).toLocaleString()}
                    </button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function statusDrill(status: ReviewStatus): Drill {
  const notes: Record<ReviewStatus, string> = {
    on_track: 'Last held review within the cadence, next due after the due-soon window.',
    due_soon: 'Next review due within the due-soon window.',
    overdue: 'Next review due date has passed without a held review. Longest waiting first.',
    never_reviewed: 'Clients with no held portfolio review on record.',
  };
  return {
    kind: 'clients',
    filter: status,
    title: `${reviewStatusLabels[status]} clients`,
    note: notes[status],
  };
}

export function StatusChart({ data, onDrill }: { data: DashboardData; onDrill: OnDrill }) {
  const counts: Record<ReviewStatus, number> = {
    on_track: data.cards.onTrack,
    due_soon: data.cards.dueSoon,
    overdue: data.cards.overdue,
    never_reviewed: data.cards.neverReviewed,
  };
  const rows = reviewStatuses.map((status) => ({
    status,
    label: reviewStatusLabels[status],
    clients: counts[status],
  }));
  return (
    <section className="chart-card" aria-labelledby="chart-status" data-testid="chart-status">
      <h2 id="chart-status">Review status</h2>
      <p className="chart-note">
        {plural(data.cards.clients, 'client')} today. Select a bar for its clients.
      </p>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }}>
          <CartesianGrid horizontal={false} stroke={GRID} />
          <XAxis
            type="number"
            allowDecimals={false}
            tick={AXIS}
            tickLine={false}
            axisLine={false}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={110}
            tick={AXIS}
            tickLine={false}
            axisLine={{ stroke: GRID }}
          />
          <Tooltip
            cursor={{ fill: 'rgba(31, 122, 133, 0.08)' }}
            formatter={(value) => [Number(value).toLocaleString(), 'Clients']}
          />
          <Bar
            dataKey="clients"
            isAnimationActive={false}
            label={{ position: 'right', fontSize: 12, fill: '#555' }}
            onClick={(bar) => onDrill(statusDrill(bar.payload?.status as ReviewStatus))}
          >
            {rows.map((row) => (
              <Cell key={row.status} fill={statusColors[row.status]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </section>
  );
}

export function OverdueChart({ data, onDrill }: { data: DashboardData; onDrill: OnDrill }) {
  const rows = data.overdueOverTime.map((point, index) => ({
    ...point,
    label:
      index === data.overdueOverTime.length - 1
        ? 'Today'
        : monthLabel(point.date.slice(0, 7), true),
  }));
  const open = (index: number) => {
    const point = data.overdueOverTime[index];
    if (!point) return;
    const today = index === data.overdueOverTime.length - 1;
    onDrill(
      today
        ? statusDrill('overdue')
        : {
            kind: 'clients',
            filter: 'overdue',
            asOf: point.date,
            title: `Clients overdue on ${calendarDate(point.date)}`,
            note: 'As they stood that evening: reviews held by then, with today’s cadences.',
          },
    );
  };
  return (
    <section
      className="chart-card wide"
      aria-labelledby="chart-overdue"
      data-testid="chart-overdue"
    >
      <h2 id="chart-overdue">Clients overdue over time</h2>
      <p className="chart-note">
        At the end of each month, from held reviews only. Select a point for the clients overdue
        then.
      </p>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: -16 }}
          onClick={(state) => {
            const index = Number(state?.activeTooltipIndex);
            if (Number.isInteger(index)) open(index);
          }}
        >
          <CartesianGrid vertical={false} stroke={GRID} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: GRID }} />
          <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} />
          <Tooltip
            labelFormatter={(_, payload) => calendarDate(String(payload?.[0]?.payload?.date ?? ''))}
            formatter={(value) => [Number(value).toLocaleString(), 'Overdue clients']}
          />
          <Line
            type="monotone"
            dataKey="overdue"
            stroke={statusColors.overdue}
            strokeWidth={2}
            dot={{ r: 3 }}
            activeDot={{ r: 6 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <details className="chart-numbers">
        <summary>The numbers</summary>
        <table className="data" data-testid="overdue-table">
          <tbody>
            <tr>
              {rows.map((row, index) => (
                <td key={row.date}>
                  <div className="muted small">{row.label}</div>
                  <button
                    className="number-link"
                    onClick={() => open(index)}
                    data-testid={`overdue-${row.date}`}
                  >
                    {row.overdue.toLocaleString()}
                  </button>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </details>
    </section>
  );
}
