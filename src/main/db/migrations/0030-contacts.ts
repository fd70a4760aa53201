// 0030: LACRM contacts, the contact index, matches and the advisor's aliases.
import type { Migration } from './index';

export const migration0030: Migration = {
  version: 30,
  name: 'contacts',
  up() {},
};
