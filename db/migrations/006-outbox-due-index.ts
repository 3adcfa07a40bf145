import type { Migration } from './migration.ts';

/**
 * When the next item falls due: the relay asks after every commit. Without this index the question scans
 * every open item (10,000 in a long outage); with it, it is one index lookup.
 */
export const migration006: Migration = {
  version: 6,
  name: 'outbox due-time index',
  up(db) {
    db.exec(`CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'unknown-outcome');`);
  },
};
