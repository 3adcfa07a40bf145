import { useCallback, useEffect, useRef, useState } from 'react';
import type { PaymentOrderView } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { toShownError, type ShownError } from '../app/errors.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';

/** How often an open order is asked about (the terminal checks with the gateway on each ask). */
const POLL_MS = 1_500;
const OPEN: ReadonlySet<PaymentOrderView['state']> = new Set(['checking', 'awaiting-buyer', 'paid', 'refunding']);

/**
 * One gateway order as the screen follows it: started by `start`, then polled until it is final. The screen
 * never decides an outcome itself: it shows what the terminal says (`applied` = paid and recorded).
 */
export function usePaymentOrder() {
  const kiosk = useKiosk();
  const [order, setOrder] = useState<PaymentOrderView | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  /** The same two facts, current at once (a scan can arrive before the next render shows them). */
  const running = useRef(false);
  const latest = useRef<PaymentOrderView | null>(null);
  latest.current = order;
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const run = useCallback(async (fn: () => Promise<PaymentOrderView>) => {
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      const o = await fn();
      if (live.current) {
        latest.current = o;
        setOrder(o);
      }
    } catch (e) {
      if (live.current) setError(toShownError(e));
    } finally {
      running.current = false;
      if (live.current) setBusy(false);
    }
  }, []);
  /** What the order and the panel are doing right now, for a scan that arrives between renders. */
  const now = useCallback(() => ({ busy: running.current, order: latest.current }), []);

  const outTradeNo = order?.outTradeNo;
  const open = order !== null && OPEN.has(order.state);
  useEffect(() => {
    if (!open || !outTradeNo) return;
    const t = setTimeout(() => {
      kiosk.payments
        .status({ outTradeNo })
        .then((o) => live.current && setOrder(o))
        .catch(() => live.current && setOrder((prev) => (prev ? { ...prev } : prev))); // ask again next tick
    }, POLL_MS);
    return () => clearTimeout(t);
  }, [kiosk, open, outTradeNo, order]);

  // A notification the terminal verified: ask now instead of at the next poll.
  useKioskEvent(
    'payment-changed',
    (e) => {
      if (e.outTradeNo !== outTradeNo) return;
      kiosk.payments
        .status({ outTradeNo: e.outTradeNo })
        .then((o) => live.current && setOrder(o))
        .catch(() => undefined);
    },
    open,
  );

  return {
    order,
    error,
    busy,
    run,
    now,
    reset: () => {
      latest.current = null;
      setOrder(null);
    },
  };
}
