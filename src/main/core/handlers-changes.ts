// Handlers for the change plan, approvals, push, undo and the audit log.
import type { HandlerMap } from './handlers';

export const changesHandlers = {} satisfies Partial<HandlerMap>;
