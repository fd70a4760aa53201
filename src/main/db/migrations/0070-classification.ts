// 0070: classification rules, per-booking classifications and overrides, review policy.
import type { Migration } from './index';

export const migration0070: Migration = {
  version: 70,
  name: 'classification',
  up() {},
};
