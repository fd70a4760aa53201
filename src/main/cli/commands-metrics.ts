// export metrics, report compliance.
import type { Command } from './command';

export const metricsCommands: Command[] = [];
