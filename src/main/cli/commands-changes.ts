// export changes, approve, push, undo, audit verify.
import type { Command } from './command';

export const changesCommands: Command[] = [];
