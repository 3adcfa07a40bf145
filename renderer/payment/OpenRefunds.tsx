import { useCallback, useEffect, useState } from 'react';
import type { RefundView } from '../../contract/dto/refunds.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { RefundRow } from './RefundList.tsx';

/**
 * The counter's refunds not yet done, every stay: cash to hand out (a settlement's 多退, a cancelled stay's
 * deposit) and refunds the gateway refused (the operator queue). Done ones drop off the list.
 */
export function OpenRefunds() {
  const kiosk = useKiosk();
  const [list, setList] = useState<RefundView[] | null>(null);
  const reload = useCallback(() => {
    kiosk.refunds
      .open({})
      .then(setList)
      .catch(() => undefined);
  }, [kiosk]);
  useEffect(reload, [reload]);
  useKioskEvent('status', reload);
  useKioskEvent('payment-changed', reload);
  // A refund asked again at the gateway is 退款中 until the gateway answers: ask the terminal until it moves.
  const asking = list?.some((r) => r.state === 'refunding' && r.gateway.length > 0) ?? false;
  useEffect(() => {
    if (!asking) return;
    const t = setInterval(reload, 1_500);
    return () => clearInterval(t);
  }, [asking, reload]);
  if (!list || list.length === 0) return null;
  return (
    <section className="panel refunds" data-testid="open-refunds">
      <h3>待办退款（{list.length} 笔）</h3>
      <ul className="refund-list">
        {list.map((r) => (
          <li key={r.refundId} className="refund-stay">
            <span className="muted">住院号 {r.admissionId}</span>
            <ul className="refund-list">
              <RefundRow refund={r} staff onChanged={reload} />
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
