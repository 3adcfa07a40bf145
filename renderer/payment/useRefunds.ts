import { useCallback, useEffect, useState } from 'react';
import type { RefundView } from '../../contract/dto/refunds.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useKioskEvent } from '../app/useKioskEvent.ts';

/** While a refund is 退款中 the screen asks again this often (and at once when a gateway order moves). */
const POLL_MS = 1_500;

/**
 * A stay's refunds as the terminal has them, kept fresh while any is 退款中: the state on screen is the
 * store's, never assumed. `settlementId` narrows to one settlement's 多退.
 */
export function useRefunds(admissionId: string, settlementId?: string): { refunds: RefundView[] | null; reload: () => void } {
  const kiosk = useKiosk();
  const [refunds, setRefunds] = useState<RefundView[] | null>(null);
  const reload = useCallback(() => {
    kiosk.refunds
      .forAdmission({ admissionId })
      .then((all) => setRefunds(settlementId ? all.filter((r) => r.settlementId === settlementId) : all))
      .catch(() => undefined); // the next poll tries again
  }, [kiosk, admissionId, settlementId]);
  useEffect(reload, [reload]);
  const inFlight = refunds?.some((r) => r.state === 'refunding') ?? false;
  useEffect(() => {
    if (!inFlight) return;
    const t = setInterval(reload, POLL_MS);
    return () => clearInterval(t);
  }, [inFlight, reload]);
  useKioskEvent('payment-changed', reload, inFlight);
  return { refunds, reload };
}
