/**
 * The one clock. Every layer takes a `Clock` by injection so tests (and the demo's settable sandbox time)
 * control "now". Durations on the wire (request timeouts, backoff sleeps) use real timers, not this clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
