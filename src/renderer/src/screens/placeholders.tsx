// Screens whose features arrive with later work. Each says what will appear and what to do first.
import { Empty, ScreenHeader } from '../components/Empty';
import type { AppStatus } from '../../../shared/contract';
import { Welcome } from '../components/Welcome';
import type { Navigate } from '../navigation';

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
  return (
    <>
      <ScreenHeader
        title="Dashboard"
        subtitle="Meeting frequency and review compliance at a glance."
      />
      {nothingConnected && <Welcome navigate={navigate} />}
      <Empty
        title="Nothing to show yet"
        testId="dashboard-empty"
        steps={[
          <>
            Connect Cal.com, Calendly or TidyCal and Less Annoying CRM in{' '}
            <a href="#/settings" onClick={() => navigate('settings')}>
              Settings
            </a>
            .
          </>,
          'Press Sync now to pull your bookings and contacts.',
          'Come back here to see who is due for a portfolio review and who is overdue.',
        ]}
      >
        Once your bookings are synced, this page shows meetings per month, review status across your
        clients, and the overdue list.
      </Empty>
    </>
  );
}

export function ComplianceScreen() {
  return (
    <>
      <ScreenHeader title="Compliance" subtitle="Evidence of portfolio reviews for an examiner." />
      <Empty title="No reviews recorded yet" testId="compliance-empty">
        Pick a period to see each client’s reviews with their source, date and how they were
        classified, then export the report as CSV or PDF with a checksum.
      </Empty>
    </>
  );
}
