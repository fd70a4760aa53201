// Handlers for contacts, matching and the review queue.
import type { HandlerMap } from './handlers';

export const matchHandlers = {} satisfies Partial<HandlerMap>;
