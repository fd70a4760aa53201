// The review queue's keyboard: one key per action, the same as the buttons say. Typing in a field
// never triggers them (so a search for "Jane" does not accept, ignore and jump), and keys with
// Ctrl, Alt or Cmd are left to the system.
export type ReviewCommand =
  'next' | 'previous' | 'accept' | 'reject' | 'search' | 'ignore' | 'request' | 'undo';

/** Key labels, for the buttons and aria-keyshortcuts. */
export const reviewKeys: Readonly<Record<ReviewCommand, string>> = {
  next: 'j',
  previous: 'k',
  accept: 'a',
  reject: 'r',
  search: '/',
  ignore: 'i',
  request: 'n',
  undo: 'u',
};

export type KeyPress = Readonly<{
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, select or other editable element. */
  inField: boolean;
}>;

const byKey: ReadonlyMap<string, ReviewCommand> = new Map([
  ...Object.entries(reviewKeys).map(([command, key]) => [key, command as ReviewCommand] as const),
  ['ArrowDown', 'next'],
  ['ArrowUp', 'previous'],
]);

export function commandForKey(press: KeyPress): ReviewCommand | null {
  if (press.inField || press.ctrlKey || press.metaKey || press.altKey) return null;
  return byKey.get(press.key) ?? null;
}

export function isEditable(target: EventTarget | null): boolean {
  if (target === null || typeof target !== 'object') return false;
  const element = target as { tagName?: string; isContentEditable?: boolean };
  const tag = element.tagName?.toUpperCase();
  return (
    tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || element.isContentEditable === true
  );
}
