// export matches, match confirm, match ignore.
import type { Command } from './command';

export const matchCommands: Command[] = [];
