// The stages that run after bookings are stored (contacts → match → classify → plan), plugged into
// the sync service and the core's extensions. Called once per core.
import type { CoreContext } from '../core/context';

export function registerPipeline(ctx: CoreContext): void {
  void ctx;
}
