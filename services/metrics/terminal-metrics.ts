import { readdirSync, statSync } from 'node:fs';
import type { PlatformEvent } from '../../insurance/client/platform-client.ts';
import type { Store } from '../../db/store.ts';
import { Counter, Gauge, gauge1, Histogram, type Family, type Sample } from './instruments.ts';

/**
 * What a terminal tells the hospital's monitoring, gathered from its parts when scraped or exported: the
 * offline queue (depth, age of the oldest item, dead letters, outcomes being checked), reversals owed, the
 * card reader, platform and payment calls (latency and result counts), the store (size and health) and
 * documents waiting for a printer. Only codes and numbers: no names, ID numbers, amounts per patient.
 */
export interface MetricSources {
  store: Store;
  /** Platform reachable as the status bar says it. */
  platformOnline: () => boolean;
  /** The status bar's reader state: none | idle | card-present | reading | error. */
  readerState: () => string;
  /** The folder where PDFs wait for a printer (documents pending), or null. */
  spoolDir: string | null;
  now: () => Date;
}

/** Latency buckets in seconds: a 医保 call takes 0.1–3 s normally, 30 s is the timeout. */
const CALL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const READER_STATES = ['none', 'idle', 'card-present', 'reading', 'error'];

export class TerminalMetrics {
  readonly platformRequests = new Counter('kiosk_platform_requests', 'National platform round trips, by transaction (infno) and result (ok or the failure kind)');
  readonly platformLatency = new Histogram('kiosk_platform_request_duration_seconds', 'National platform round-trip time', CALL_BUCKETS);
  readonly reversals = new Counter('kiosk_reversals', '2601 reversals attempted, by result (reversed or failed)');
  readonly paymentRequests = new Counter('kiosk_payment_requests', 'Payment gateway calls, by operation and result (ok, refused, unknown)');
  readonly paymentLatency = new Histogram('kiosk_payment_request_duration_seconds', 'Payment gateway round-trip time', CALL_BUCKETS);
  private readonly gauges: Gauge[];
  /** When a platform or payment call last ended (the updater waits for a quiet terminal). */
  lastActivityAt = Date.now();

  constructor(private readonly sources: MetricSources) {
    const s = sources;
    const queue = () => s.store.read(() => s.store.outbox.status(s.now()));
    this.gauges = [
      new Gauge('kiosk_up', 'Always 1 while the terminal serves metrics', () => gauge1(1)),
      new Gauge('kiosk_queue_depth', 'Open items in the offline queue (to be sent, or outcome being checked)', () => gauge1(queue().depth)),
      new Gauge('kiosk_queue_oldest_age_seconds', 'Age of the oldest open queue item; 0 when the queue is empty', () => gauge1(queue().oldestAgeSeconds ?? 0)),
      new Gauge('kiosk_queue_dead_letters', 'Queue items that need an operator (refused or out of attempts)', () => gauge1(queue().deadLetters)),
      new Gauge('kiosk_queue_unknown_outcomes', 'Queue items whose outcome at the platform is being checked', () => gauge1(queue().unknownOutcomes)),
      new Gauge('kiosk_reversals_pending', '2601 reversals journaled and not yet confirmed', () => gauge1(s.store.reversals.pending().length)),
      new Gauge('kiosk_reader_state', 'Card reader state: 1 for the current state', () => readerSamples(s.readerState())),
      new Gauge('kiosk_platform_online', '1 when the national platform is reachable', () => gauge1(s.platformOnline() ? 1 : 0)),
      new Gauge('kiosk_store_bytes', 'SQLite store size on disk (file + WAL)', () => gauge1(storeBytes(s.store.path))),
      new Gauge('kiosk_store_healthy', '1 when the store passed its integrity check at open and answers queries', () => gauge1(storeHealthy(s.store) ? 1 : 0)),
      new Gauge('kiosk_documents_pending', 'Documents spooled as PDF, waiting for a printer', () => gauge1(spooled(s.spoolDir))),
    ];
  }

  /** The platform client's event hook (chain it with the status bar's). */
  onPlatformEvent = (e: PlatformEvent): void => {
    this.lastActivityAt = Date.now();
    if (e.type === 'exchange') {
      // '----' is the demo's network switch speaking, not a round trip.
      if (e.infno === '----') return;
      this.platformRequests.inc({ infno: e.infno, result: e.result });
      this.platformLatency.observe(e.durationMs / 1000, { infno: e.infno });
    } else {
      this.reversals.inc({ result: e.result });
    }
  };

  /** One payment gateway call (services/metrics/metered-gateway.ts). */
  onPaymentCall(operation: string, result: 'ok' | 'refused' | 'unknown' | 'error', seconds: number): void {
    this.lastActivityAt = Date.now();
    this.paymentRequests.inc({ operation, result });
    this.paymentLatency.observe(seconds, { operation });
  }

  collect(): Family[] {
    return [...this.gauges.map((g) => g.family()), this.platformRequests.family(), this.platformLatency.family(), this.reversals.family(), this.paymentRequests.family(), this.paymentLatency.family()];
  }

  /** For the health endpoint: the few facts that say whether this terminal can work. */
  health(): { store: boolean; platformOnline: boolean; reader: string; queueDepth: number | null; oldestAgeSeconds: number | null } {
    let depth: number | null = null;
    let oldest: number | null = null;
    try {
      const q = this.sources.store.read(() => this.sources.store.outbox.status(this.sources.now()));
      depth = q.depth;
      oldest = q.oldestAgeSeconds;
    } catch {
      /* reported as store: false */
    }
    return { store: storeHealthy(this.sources.store), platformOnline: this.sources.platformOnline(), reader: this.sources.readerState(), queueDepth: depth, oldestAgeSeconds: oldest };
  }
}

function readerSamples(state: string): Sample[] {
  return READER_STATES.map((st) => ({ labels: { state: st }, value: st === state ? 1 : 0 }));
}

function storeBytes(path: string): number | null {
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      /* no WAL yet */
    }
  }
  return total || null;
}

function storeHealthy(store: Store): boolean {
  if (store.integrity && !store.integrity.ok) return false;
  try {
    store.db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

function spooled(dir: string | null): number {
  if (!dir) return 0;
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.pdf')).length;
  } catch {
    return 0;
  }
}
