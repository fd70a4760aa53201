// IPC methods for contacts, matching and the review queue (merged into contract.ts).
export const matchMethods = {} as const;
export const matchEvents = {} as const;
