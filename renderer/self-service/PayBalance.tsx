import { useEffect, useState, type ReactNode } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { BalanceDueView, PaymentOrderView } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useElderly } from '../app/elderly.tsx';
import { yuanText } from '../app/format.ts';
import { Busy } from '../components/Busy.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { PaymentPanel } from '../payment/PaymentPanel.tsx';

export type PayScene = 'qr' | 'bar_code';
const SCENE_TEXT: Record<PayScene, string> = { qr: '支付宝扫码支付', bar_code: '出示支付宝付款码' };

/**
 * 少补 at the kiosk: the patient pays the balance a settlement left due through the payment gateway (the QR
 * with its countdown, or the 付款码 at the scanner), or leaves it for the cashier window. The amount is the
 * terminal's 待补缴 (the same figure the counter and the 结算单 show); nothing is shown as paid until the
 * terminal recorded the gateway's confirmation. Giving up, or the QR's time running out, closes the order at
 * the gateway: the balance stays due and the screen says where to pay it.
 */

/** The stay's balance now (null while loading; `owing` 0 once nothing is due). */
export function useBalance(admissionId: string): { balance: BalanceDueView | null; failed: boolean } {
  const kiosk = useKiosk();
  const [balance, setBalance] = useState<BalanceDueView | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    kiosk.payments
      .balanceDue({ admissionId })
      .then((b) => live && setBalance(b))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [kiosk, admissionId]);
  return { balance, failed };
}

/** 您还需补缴 ¥x: pay it here (QR or 付款码) or at the window. */
export function BalanceChoice({ admissionId, cashier, onPay, onLater }: { admissionId: string; cashier: string; onPay: (scene: PayScene, amountFen: number) => void; onLater: () => void }) {
  const { balance, failed } = useBalance(admissionId);
  if (failed) return <p className="plain-summary" data-testid="ss-balance-where">{`请到${cashier}缴纳补缴费用。`}</p>;
  if (!balance) return <Busy text="正在查询待补缴金额…" />;
  if (balance.outstandingFen === 0) {
    return (
      <p className="plain-summary" data-testid="ss-balance-paid-already">
        补缴费用已缴清。
      </p>
    );
  }
  const text = `您还需补缴 ${yuanText(balance.outstandingFen)}，可以在这里用支付宝缴纳，也可以到${cashier}缴纳。`;
  return (
    <section className="balance-choice" data-testid="ss-balance" data-outstanding={balance.outstandingFen}>
      <p className="plain-summary" data-voice={text}>
        您还需补缴 <strong className="money" data-testid="ss-balance-outstanding">{yuanText(balance.outstandingFen)}</strong>
      </p>
      <p className="muted">可以在这里用支付宝缴纳，也可以到{cashier}缴纳。</p>
      {balance.open ? (
        <p className="cached-note">您有一笔补缴正在确认中，请稍候再查，或到{cashier}咨询。</p>
      ) : (
        <fieldset className="method-choice">
          <legend>在这里缴纳</legend>
          {(['qr', 'bar_code'] as const).map((scene) => (
            <button key={scene} type="button" className="choice" onClick={() => onPay(scene, balance.outstandingFen)} data-testid={`ss-balance-${scene}`}>
              {SCENE_TEXT[scene]}
            </button>
          ))}
        </fieldset>
      )}
      <div className="actions">
        <button type="button" className="secondary big" onClick={onLater} data-testid="ss-balance-later">
          稍后到窗口缴纳
        </button>
      </div>
    </section>
  );
}

/** Paying the balance: the gateway panel, large, for a touch screen. */
export function PayBalanceScreen({
  stay,
  amountFen,
  scene,
  onPaid,
  onLeft,
}: {
  stay: AdmissionView;
  amountFen: number;
  scene: PayScene;
  onPaid: (order: PaymentOrderView) => void;
  onLeft: (why: 'gave-up' | 'expired', order: PaymentOrderView | null) => void;
}) {
  return (
    <main className="kiosk-screen" data-testid="ss-balance-pay">
      <h1 data-voice={`请缴纳出院结算补缴费用 ${yuanText(amountFen)}`}>请缴纳补缴费用</h1>
      <p className="muted">
        住院号 {stay.iptNo} · {stay.deptName}
      </p>
      <PaymentPanel admissionId={stay.admissionId} amountFen={amountFen} purpose="balance-due" scene={scene} large onApplied={onPaid} onGiveUp={(o) => onLeft('gave-up', o)} onExpired={(o) => onLeft('expired', o)} leaveOnCancel />
    </main>
  );
}

/** Paid and recorded: the amount, the 支付宝交易号, the 补缴收据 and the 结算单 to print. */
export function BalancePaidScreen({ stay, order, end }: { stay: AdmissionView; order: PaymentOrderView; end: ReactNode }) {
  const elderly = useElderly().on;
  const receipt = { kind: 'deposit-receipt' as const, admissionId: stay.admissionId, receiptNo: order.outTradeNo };
  const sheet = { kind: 'settlement-sheet' as const, admissionId: stay.admissionId };
  return (
    <main className="kiosk-screen" data-testid="ss-balance-paid">
      <h1 className="verdict ok" data-voice={`补缴成功，已缴 ${yuanText(order.amountFen)}`}>
        补缴成功
      </h1>
      <dl className="facts big-facts">
        <dt>已缴</dt>
        <dd className="money">{yuanText(order.amountFen)}</dd>
        <dt>支付宝交易号</dt>
        <dd data-testid="ss-balance-trade-no">{order.tradeNo}</dd>
      </dl>
      <div className="actions">
        {elderly ? (
          // 适老化: one print action, the receipt and the 结算单 together.
          <PrintButton doc={receipt} also={[sheet]} label="打印补缴收据和结算单" large />
        ) : (
          <>
            <PrintButton doc={receipt} label="打印补缴收据" large />
            <PrintButton doc={sheet} label="打印结算单" large />
          </>
        )}
        {end}
      </div>
    </main>
  );
}

/** What became of the money of the order left behind: never "未扣款" when it may have been taken. */
function moneyText(order: PaymentOrderView | null): string {
  if (!order) return '';
  switch (order.state) {
    case 'closed':
      return '本次未扣款。';
    case 'refunding':
    case 'refunded':
      return `已支付的款项未能入账，${order.state === 'refunded' ? '已' : '正在'}原路退回您的支付宝账户。`;
    case 'attention':
      return `支付需要人工核对（订单号 ${order.outTradeNo}）。`;
    default:
      return `支付结果正在确认中（订单号 ${order.outTradeNo}），请到窗口查询。`;
  }
}

/** Not paid here: the balance stays due, and the screen says where to pay it (the cashier window from configuration). */
export function BalanceLeftScreen({
  stay,
  cashier,
  why,
  order = null,
  end,
}: {
  stay: AdmissionView;
  cashier: string;
  why: 'gave-up' | 'expired' | 'later';
  /** The order the patient left (closed = nothing taken; refunding/attention = money moved, said so). */
  order?: PaymentOrderView | null;
  end: ReactNode;
}) {
  // The amount is the terminal's 待补缴 as read now (never a figure carried from an earlier screen).
  const { balance, failed } = useBalance(stay.admissionId);
  const head = why === 'expired' ? '支付已超时，订单已关闭' : why === 'gave-up' ? '已取消支付' : '请到窗口缴纳';
  const text = balance ? `您还需补缴 ${yuanText(balance.outstandingFen)}，请到${cashier}缴纳。` : `请到${cashier}缴纳补缴费用。`;
  const money = moneyText(order);
  return (
    <main className="kiosk-screen" data-testid="ss-balance-left" data-why={why}>
      <h1 data-voice={balance || failed ? `${head}。${text}` : head}>{head}</h1>
      {balance || failed ? (
        <p className="plain-summary" data-testid="ss-balance-where">
          {money}
          {text}
        </p>
      ) : (
        <Busy text="正在查询待补缴金额…" />
      )}
      <div className="actions">
        <PrintButton doc={{ kind: 'settlement-sheet', admissionId: stay.admissionId }} label="打印结算单" large />
        {end}
      </div>
    </main>
  );
}
