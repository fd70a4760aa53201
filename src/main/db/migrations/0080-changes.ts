// 0080: proposed LACRM changes, approvals, push batches (the outbox), undo batches.
import type { Migration } from './index';

export const migration0080: Migration = {
  version: 80,
  name: 'changes',
  up() {},
};
