// The app frame: navigation, the status banners, and the current screen.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { cadence, useLoad } from './api';
import { screenFromHash, screens, type ScreenId } from './navigation';
import { SettingsScreen } from './screens/SettingsScreen';
import { BookingsScreen } from './screens/BookingsScreen';
import { SyncPanel } from './components/SyncPanel';
import { DemoBanner } from './components/Welcome';
import { ComplianceScreen } from './screens/ComplianceScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { RulesScreen } from './screens/RulesScreen';
import { ChangesScreen } from './screens/ChangesScreen';
import { AuditScreen } from './screens/AuditScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { StoreProblem } from './screens/StoreProblem';

export function App() {
  const [screen, setScreen] = useState<ScreenId>(() => screenFromHash(window.location.hash));
  const status = useLoad(() => cadence().app.status(), []);
  const mainRef = useRef<HTMLElement>(null);

  // Every screen opens at its top: the screens share one scroller (.main), which otherwise kept
  // the last screen's position. Only a change of screen resets it; lists that scroll inside a
  // screen keep their own position. Before paint, so the old position never shows.
  useLayoutEffect(() => {
    if (mainRef.current) mainRef.current.scrollTop = 0;
  }, [screen]);

  useEffect(() => {
    const onHash = () => setScreen(screenFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = (id: ScreenId) => {
    window.history.pushState(null, '', `#/${id}`);
    setScreen(id);
  };

  const dbState = status.data?.db.state;
  if (dbState && dbState !== 'open' && dbState !== 'memory') {
    return <StoreProblem status={status.data!} />;
  }

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          Cadence
        </div>
        {screens.map((s) => (
          <a
            key={s.id}
            href={`#/${s.id}`}
            className="nav-link"
            aria-current={screen === s.id ? 'page' : undefined}
            data-testid={`nav-${s.id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(s.id);
            }}
          >
            {s.label}
          </a>
        ))}
        <div className="sidebar-footer">{status.data ? `Version ${status.data.version}` : ''}</div>
      </nav>
      <main className="main" ref={mainRef} data-testid={`screen-${screen}`}>
        {status.data?.demo && <DemoBanner />}
        {dbState === 'memory' && (
          <div className="banner warn" role="status" data-testid="memory-banner">
            {status.data?.db.message}
          </div>
        )}
        {status.error && (
          <div className="banner danger" role="alert">
            Cadence could not read its status: {status.error.message}
          </div>
        )}
        <SyncPanel />
        <div className="content">
          {screen === 'dashboard' && <DashboardScreen navigate={navigate} status={status.data} />}
          {screen === 'bookings' && <BookingsScreen />}
          {screen === 'review' && <ReviewScreen />}
          {screen === 'changes' && <ChangesScreen />}
          {screen === 'compliance' && <ComplianceScreen />}
          {screen === 'rules' && <RulesScreen />}
          {screen === 'audit' && <AuditScreen />}
          {screen === 'settings' && <SettingsScreen />}
        </div>
      </main>
    </div>
  );
}
