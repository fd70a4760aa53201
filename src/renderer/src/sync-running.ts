// Whether a sync is running now, for screens whose empty state depends on it: asked once (and
// again when the app changes), then followed by the sync's own events.
import { useEffect, useState } from 'react';
import { cadence, useLoad } from './api';

export function useSyncRunning(): boolean {
  const asked = useLoad(() => cadence().sync.status(), [], ['app:changed']);
  const [live, setLive] = useState<boolean | null>(null);
  useEffect(() => cadence().on('sync:progress', () => setLive(true)), []);
  useEffect(() => cadence().on('sync:finished', () => setLive(false)), []);
  return live ?? asked.data?.running ?? false;
}
