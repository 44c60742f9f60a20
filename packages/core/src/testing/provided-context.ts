// What the global setup hands each test file through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    gomomoDatabase: { adminUrl: string; template: string; runId: string };
  }
}

export {};
