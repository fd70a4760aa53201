// A sync of the contacts cancelled once they are in: the sources are done, matching has not begun,
// so the stored bookings wait to be matched (match_pending). Free of the test runner.
import type { Core } from '../../src/main/core/core';
import type { SourceProgress } from '../../src/shared/contract';

export async function syncCancelledBeforeMatching(core: Core): Promise<void> {
  const off = core.subscribe((event, payload) => {
    const p = payload as SourceProgress;
    if (event === 'sync:progress' && p.source === 'lacrm' && p.state === 'ok')
      core.context.sync.cancel();
  });
  try {
    await core.call('sync:run', { sources: ['lacrm'] });
  } finally {
    off();
  }
}
