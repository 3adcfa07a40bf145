import { useEffect, useRef, useState } from 'react';
import type { PaymentOrderView } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useIdleHold } from '../app/idle-hold.tsx';
import { yuanText } from '../app/format.ts';
import { usePaymentCodeScanner } from '../input/usePaymentCodeScanner.ts';
import { Busy } from '../components/Busy.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { QrImage } from './QrImage.tsx';
import { usePaymentOrder } from './usePaymentOrder.ts';
import { typedCodeProblem, UNREAD_SCAN, whyNotNow } from './scan-notice.ts';

export type PayScene = 'qr' | 'bar_code';

/**
 * Paying one amount for one stay through the payment gateway: the QR the patient scans with 支付宝 (C扫B,
 * countdown, polling), or the patient's 付款码 read by the scanner (B扫C). Shows money as paid only when the
 * terminal says the gateway confirmed it and it is recorded (`applied`); while the outcome is being confirmed
 * it says so. Used by the kiosk (large) and the desks.
 */
export function PaymentPanel({
  admissionId,
  amountFen,
  purpose = 'deposit',
  scene,
  large = false,
  onApplied,
  onGiveUp,
  onExpired,
  leaveOnCancel = false,
}: {
  admissionId: string;
  amountFen: number;
  purpose?: 'deposit' | 'balance-due';
  scene: PayScene;
  large?: boolean;
  onApplied: (order: PaymentOrderView) => void;
  /** The patient stops (not paid, or the payment is being refunded): the caller goes on without it. */
  onGiveUp: (order: PaymentOrderView | null) => void;
  /** The QR's time ran out: it was closed at the gateway (not paid). Without it the panel offers a new QR. */
  onExpired?: (order: PaymentOrderView) => void;
  /** 取消支付 that closed the order goes straight on (onGiveUp) instead of offering a new QR (the kiosk). */
  leaveOnCancel?: boolean;
}) {
  const kiosk = useKiosk();
  const { order, error, busy, run, reset, now } = usePaymentOrder();
  const [typed, setTyped] = useState('');
  /** Why the last scan or typed code was not taken (never silent), until the next one is. */
  const [scanNotice, setScanNotice] = useState<string | null>(null);
  const expired = useRef(false);

  // While the patient pays on the phone (no touches), the kiosk's idle timeout waits: the QR's countdown governs.
  useIdleHold(order !== null && (order.state === 'awaiting-buyer' || order.state === 'checking' || order.state === 'paid'));

  // The countdown reached 0: close the QR at the gateway now (a payment that arrived meanwhile is kept and
  // recorded: the close finds it paid), instead of leaving it open until the terminal's own sweep.
  const awaitingQr = order?.state === 'awaiting-buyer' && order.qrCode !== null;
  useEffect(() => {
    if (!awaitingQr || !order) return;
    const t = setTimeout(() => {
      expired.current = true;
      void run(() => kiosk.payments.cancel({ outTradeNo: order.outTradeNo }));
    }, order.secondsLeft * 1000);
    return () => clearTimeout(t);
  }, [awaitingQr, order?.outTradeNo]);
  const cancelled = useRef(false);
  useEffect(() => {
    if (order?.state !== 'closed') return;
    if (expired.current && onExpired) onExpired(order);
    else if (cancelled.current && leaveOnCancel) onGiveUp(order);
  }, [order?.state]);

  useEffect(() => {
    if (scene === 'qr' && !order && !busy && !error) void run(() => kiosk.payments.startQr({ admissionId, amountFen, purpose }));
    // start once per panel (and again after 重新生成 resets the order)
  }, [scene, order === null]);
  useEffect(() => {
    if (order?.state === 'applied') onApplied(order);
  }, [order?.state]);

  const payWithCode = (authCode: string) => {
    const current = now();
    const why = whyNotNow(current.busy, current.order);
    setScanNotice(why);
    if (why) return;
    void run(() => kiosk.payments.payByCode({ admissionId, amountFen, purpose, authCode }));
  };
  usePaymentCodeScanner(payWithCode, () => setScanNotice(UNREAD_SCAN), scene === 'bar_code');
  // The order moved on: what it says now replaces the notice about an earlier scan.
  useEffect(() => setScanNotice(null), [order?.outTradeNo, order?.state]);

  const amount = (
    <p className="pay-amount">
      应缴金额 <strong className="money" data-testid="pay-amount">{yuanText(amountFen)}</strong>
    </p>
  );
  const cancel = (
    <button
      type="button"
      className={`secondary${large ? ' big' : ''}`}
      data-testid="pay-cancel"
      disabled={busy}
      onClick={() => {
        if (order && (order.state === 'awaiting-buyer' || order.state === 'checking')) {
          cancelled.current = true;
          void run(() => kiosk.payments.cancel({ outTradeNo: order.outTradeNo }));
        } else onGiveUp(order);
      }}
    >
      {order && (order.state === 'awaiting-buyer' || order.state === 'checking') ? '取消支付' : '返回'}
    </button>
  );

  return (
    <section className={`payment-panel${large ? ' large' : ''}`} data-testid="payment-panel" data-state={order?.state ?? 'none'}>
      {amount}
      {error && <ErrorNotice error={error} />}
      {scanNotice && (
        <p className="verdict warn" role="status" data-testid="pay-scan-notice" data-voice={scanNotice}>
          {scanNotice}
        </p>
      )}
      <OrderState order={order} scene={scene} large={large} />
      {/* The kiosk has no keyboard: its patient only holds the code to the scanner (the wedge reads it). */}
      {scene === 'bar_code' && large && order?.state === 'closed' && (
        <p className="pay-hint" data-voice="可以再次出示支付宝付款码，对准扫码口">
          可以再次打开支付宝「付款码」，对准下方扫码口
        </p>
      )}
      {scene === 'bar_code' && !large && (!order || order.state === 'closed') && (
        <form
          className="pay-code-entry"
          onSubmit={(e) => {
            e.preventDefault();
            const code = typed.replace(/\s/g, '');
            const problem = typedCodeProblem(code);
            if (problem) setScanNotice(problem);
            else payWithCode(code);
          }}
        >
          <label>
            付款码（扫码枪读取，或手工输入）
            <input value={typed} inputMode="numeric" autoComplete="off" autoFocus onChange={(e) => setTyped(e.target.value)} data-testid="pay-code-input" />
          </label>
          {/* Never disabled: a disabled submit button makes Enter in the field do nothing, without a word. */}
          <button type="submit" className="primary" data-testid="pay-code-submit">
            收款
          </button>
        </form>
      )}
      {busy && <Busy text={scene === 'qr' ? '正在生成付款二维码…' : '正在向支付宝发起收款…'} />}
      <div className="actions">
        {order?.state === 'closed' && scene === 'qr' && (
          <button
            type="button"
            className={`primary${large ? ' big' : ''}`}
            onClick={() => {
              expired.current = false;
              cancelled.current = false;
              reset();
            }}
            data-testid="pay-retry"
          >
            重新生成二维码
          </button>
        )}
        {order?.state === 'closed' || order?.state === 'refunded' || order?.state === 'refunding' || order?.state === 'attention' ? (
          <button type="button" className={`secondary${large ? ' big' : ''}`} onClick={() => onGiveUp(order)} data-testid="pay-give-up">
            不缴了，稍后到窗口缴费
          </button>
        ) : order?.state === 'applied' ? null : (
          cancel
        )}
      </div>
    </section>
  );
}

function OrderState({ order, scene, large }: { order: PaymentOrderView | null; scene: PayScene; large: boolean }) {
  const [left, setLeft] = useState(order?.secondsLeft ?? 0);
  useEffect(() => {
    setLeft(order?.secondsLeft ?? 0);
    const t = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(t);
  }, [order?.secondsLeft, order?.outTradeNo]);
  if (!order) {
    return scene === 'bar_code' ? (
      <p className="pay-hint" data-voice="请打开支付宝付款码，对准扫码口">
        请打开支付宝「付款码」，对准下方扫码口
      </p>
    ) : null;
  }
  switch (order.state) {
    case 'awaiting-buyer':
      return order.qrCode ? (
        <div className="pay-qr-box">
          <QrImage text={order.qrCode} size={large ? 360 : 240} />
          <p className="pay-hint" data-voice="请使用支付宝扫描二维码付款">
            请使用<strong>支付宝</strong>扫描二维码付款
          </p>
          <p className="pay-countdown" data-testid="pay-countdown">
            剩余 {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
          </p>
        </div>
      ) : scene === 'bar_code' ? (
        <p className="pay-hint" data-testid="pay-confirm-on-phone">请在手机上输入支付密码完成付款…</p>
      ) : (
        <Busy text="正在生成付款二维码…" />
      );
    case 'checking':
    case 'paid':
      return <Busy text="正在向支付宝确认支付结果，请勿离开…" testId="pay-checking" />;
    case 'applied':
      return (
        <p className="verdict ok" data-testid="pay-applied">
          支付成功（支付宝交易号 {order.tradeNo}）
        </p>
      );
    case 'refunding':
    case 'refunded':
      return (
        <p className="verdict warn" data-testid="pay-refunded">
          款项未能入账，{order.state === 'refunded' ? '已' : '正在'}原路退回您的支付宝账户。{order.message ?? ''}
        </p>
      );
    case 'attention':
      return (
        <p className="verdict warn" data-testid="pay-attention">
          支付需要人工核对，请到收费窗口处理（订单号 {order.outTradeNo}）。
        </p>
      );
    case 'closed':
      return (
        <p className="verdict refuse" data-testid="pay-closed">
          未支付：{order.message ?? '订单已关闭'}
        </p>
      );
  }
}
