/** Store interfaces may be synchronous (better-sqlite3) or asynchronous; the client awaits either. */
export type MaybePromise<T> = T | Promise<T>;
