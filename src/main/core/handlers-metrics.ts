// Handlers for classification rules, review policy, metrics, the dashboard and compliance reports.
import type { HandlerMap } from './handlers';

export const metricsHandlers = {} satisfies Partial<HandlerMap>;
