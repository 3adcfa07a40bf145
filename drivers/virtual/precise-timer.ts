/**
 * Runs a callback at a deadline on the performance.now() clock, never earlier. Node's setTimeout has a 1 ms
 * grain, may fire a fraction of a millisecond early and is often a millisecond late; the virtual reader must
 * not answer before the model says it can, nor needlessly after. So the timer is set to wake about a
 * millisecond ahead and the rest is waited out with setImmediate.
 */
export interface PreciseTimer {
  cancel(): void;
}

export function runAt(deadline: number, callback: () => void): PreciseTimer {
  let cancelled = false;
  let timeout: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const tick = () => {
    timeout = null;
    immediate = null;
    if (cancelled) return;
    const remaining = deadline - performance.now();
    if (remaining <= 0) callback();
    else if (remaining >= 2) timeout = setTimeout(tick, Math.floor(remaining - 1));
    else immediate = setImmediate(tick);
  };
  // Never synchronously: callers schedule from inside message handlers.
  const first = deadline - performance.now();
  if (first >= 2) timeout = setTimeout(tick, Math.floor(first - 1));
  else immediate = setImmediate(tick);
  return {
    cancel() {
      cancelled = true;
      if (timeout) clearTimeout(timeout);
      if (immediate) clearImmediate(immediate);
    },
  };
}
