// The screens and a tiny hash router: #/dashboard, #/settings, …
export const screens = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'bookings', label: 'Bookings' },
  { id: 'review', label: 'Review' },
  { id: 'changes', label: 'Changes' },
  { id: 'compliance', label: 'Compliance' },
  { id: 'rules', label: 'Rules' },
  { id: 'audit', label: 'Audit log' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof screens)[number]['id'];
export type Navigate = (screen: ScreenId) => void;

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return screens.find((s) => s.id === id)?.id ?? 'dashboard';
}

/** A query parameter of the hash route: #/review?item=KEY → KEY. */
export function hashParam(hash: string, name: string): string | null {
  const query = hash.split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get(name);
}
