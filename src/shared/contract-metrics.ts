// IPC methods for classification, review policy, metrics, the dashboard and compliance reports
// (merged into contract.ts).
export const metricsMethods = {} as const;
export const metricsEvents = {} as const;
