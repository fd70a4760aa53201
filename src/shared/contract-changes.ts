// IPC methods for the change plan, approvals, push, undo and the audit log (merged into contract.ts).
export const changesMethods = {} as const;
export const changesEvents = {} as const;
