// The review queue's keys: each action has its key, and typing in a field or holding a modifier
// never triggers one.
import { describe, expect, it } from 'vitest';
import { commandForKey, isEditable, reviewKeys, type ReviewCommand } from './keys';

const press = (key: string, extra: Partial<Parameters<typeof commandForKey>[0]> = {}) =>
  commandForKey({ key, ctrlKey: false, metaKey: false, altKey: false, inField: false, ...extra });

describe('review keys', () => {
  it('maps every action to its key, and the arrows to moving', () => {
    for (const [command, key] of Object.entries(reviewKeys))
      expect(press(key)).toBe(command as ReviewCommand);
    expect(press('ArrowDown')).toBe('next');
    expect(press('ArrowUp')).toBe('previous');
    expect(press('x')).toBeNull();
    expect(press('A')).toBeNull();
  });

  it('leaves keys alone while typing in a field or with a modifier held', () => {
    expect(press('a', { inField: true })).toBeNull();
    expect(press('/', { inField: true })).toBeNull();
    expect(press('r', { ctrlKey: true })).toBeNull();
    expect(press('u', { metaKey: true })).toBeNull();
    expect(press('j', { altKey: true })).toBeNull();
  });

  it('knows which elements take typing', () => {
    expect(isEditable({ tagName: 'input' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(
      true,
    );
    expect(isEditable({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
