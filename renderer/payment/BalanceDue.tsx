import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { BalanceDueView, PaymentOrderView } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { parseYuan, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { useEscape } from '../app/useKeys.ts';
import { Busy } from '../components/Busy.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PaymentPanel } from './PaymentPanel.tsx';

export const CHANNEL_TEXT: Record<PaymentOrderView['channel'], string> = { cash: '现金', 'bank-card': '银行卡', alipay: '支付宝' };

type Mode = 'choose' | 'cash' | 'bank-card' | 'qr' | 'bar_code';
const MODES: Array<{ mode: Exclude<Mode, 'choose'>; label: string }> = [
  { mode: 'cash', label: '现金收款' },
  { mode: 'bank-card', label: '银行卡 POS' },
  { mode: 'qr', label: '出示收款二维码' },
  { mode: 'bar_code', label: '扫患者付款码' },
];

/**
 * 少补 at the discharge counter (cashier, keyboard only): the settlement's 待补缴 and how it is collected —
 * 现金 (amount handed over, change shown, the cashier confirms), 银行卡 POS (its 参考号 recorded), or through the
 * payment gateway (the QR the patient scans, or the patient's 付款码 at the scanner). Nothing shows as
 * collected until the terminal has recorded it; each collection prints its 补缴收据 (channel, number).
 * Keys: 1–4 choose the way, Enter confirms, Esc goes back a step.
 */
export function BalanceDueDesk({ admissionId, onBalance }: { admissionId: string; /** The figures as read (after each collection): e.g. to refresh a 结算单 preview. */ onBalance?: (b: BalanceDueView) => void }) {
  const kiosk = useKiosk();
  const [balance, setBalance] = useState<BalanceDueView | null | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('choose');
  // The amount a QR / 付款码 payment was started for: its panel stays until the cashier goes back, so that
  // 支付成功 (or why not) is seen even though the balance it paid is no longer due.
  const [paying, setPaying] = useState<number>(0);
  const load = useAction(() => kiosk.payments.balanceDue({ admissionId }));
  const { run } = load;
  const refresh = useCallback(
    () =>
      void run().then((b) => {
        if (b === undefined) return;
        setBalance(b);
        if (b) onBalance?.(b);
      }),
    [run],
  );
  useEffect(refresh, [refresh]);
  // Any order of this stay moved (a phone paid, another cashier): the figures are read again.
  useKioskEvent('payment-changed', refresh);
  const back = () => {
    setMode('choose');
    refresh();
  };
  useEscape(mode === 'choose' || mode === 'qr' || mode === 'bar_code' ? null : back);
  const choose = (m: Exclude<Mode, 'choose'>) => {
    setPaying(balance?.outstandingFen ?? 0);
    setMode(m);
  };
  useDigitKeys(mode === 'choose' && !!balance && balance.outstandingFen > 0 && !balance.open, (i) => choose(MODES[i]!.mode));

  if (balance === undefined) return load.error ? <ErrorNotice error={load.error} /> : <Busy text="正在读取待补缴金额…" />;
  if (balance === null) return null;
  const owing = balance.outstandingFen;
  return (
    <section className="panel balance-due" data-testid="balance-due" data-outstanding={owing}>
      <h3>出院结算补缴</h3>
      <p className={`due-callout ${owing > 0 ? 'collect' : 'even'}`} data-testid="settled-due" data-due-kind={owing > 0 ? 'collect' : 'even'}>
        {owing > 0 ? `待补缴 ${yuanText(owing)}` : '补缴已收清'}
      </p>
      <p className="muted">
        本次结算应补缴 {yuanText(balance.dueFen)} · 已收 <span data-testid="balance-paid">{yuanText(balance.paidFen)}</span> · 待补缴{' '}
        <strong data-testid="balance-outstanding">{yuanText(owing)}</strong>
      </p>
      {load.error && <ErrorNotice error={load.error} />}
      {balance.payments.length > 0 && <Collected payments={balance.payments} admissionId={admissionId} />}
      {owing > 0 && balance.open && mode === 'choose' && <OpenOrder order={balance.open} onDone={refresh} />}
      {owing > 0 && !balance.open && mode === 'choose' && (
        <div className="actions" role="group" aria-label="补缴方式">
          {MODES.map((m, i) => (
            <button key={m.mode} type="button" className={i === 0 ? 'primary' : 'secondary'} autoFocus={i === 0} onClick={() => choose(m.mode)} data-testid={`balance-${m.mode}`}>
              {m.label}（{i + 1}）
            </button>
          ))}
        </div>
      )}
      {owing > 0 && (mode === 'cash' || mode === 'bank-card') && <CounterCollect admissionId={admissionId} channel={mode} amountFen={owing} onCollected={back} onBack={back} />}
      {paying > 0 && (mode === 'qr' || mode === 'bar_code') && (
        <>
          <PaymentPanel admissionId={admissionId} amountFen={paying} purpose="balance-due" scene={mode} onApplied={refresh} onGiveUp={back} onExpired={back} />
          {owing === 0 && (
            <div className="actions">
              <button type="button" className="primary" autoFocus onClick={back} data-testid="balance-paid-done">
                完成（Enter）
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Each collection recorded toward the balance, with its channel, number and receipt. */
function Collected({ payments, admissionId }: { payments: PaymentOrderView[]; admissionId: string }) {
  return (
    <table className="grid" data-testid="balance-payments">
      <thead>
        <tr>
          <th>方式</th>
          <th>金额</th>
          <th>交易号 / 参考号</th>
          <th>实收 / 找零</th>
          <th>收据</th>
        </tr>
      </thead>
      <tbody>
        {payments.map((p) => (
          <tr key={p.outTradeNo} data-testid="balance-payment" data-channel={p.channel}>
            <td>{CHANNEL_TEXT[p.channel]}</td>
            <td className="num">{yuanText(p.amountFen)}</td>
            <td>{p.tradeNo ?? '—'}</td>
            <td>{p.tenderedFen != null ? `${yuanText(p.tenderedFen)} / ${yuanText(p.tenderedFen - p.amountFen)}` : '—'}</td>
            <td>
              <PrintButton doc={{ kind: 'deposit-receipt', admissionId, receiptNo: p.outTradeNo }} label="打印补缴收据" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A gateway order for the balance not final yet (a QR left open, a payment being confirmed). */
function OpenOrder({ order, onDone }: { order: PaymentOrderView; onDone: () => void }) {
  const kiosk = useKiosk();
  const act = useAction((fn: () => Promise<PaymentOrderView>) => fn());
  return (
    <div className="cached-note" data-testid="balance-open-order">
      <p>
        有一笔扫码补缴尚未完成（订单号 {order.outTradeNo}，{order.state === 'awaiting-buyer' ? '等待患者付款' : '正在向支付宝确认'}）：请等待结果，或取消该订单后改用其他方式收款。
      </p>
      <div className="actions">
        <button type="button" className="secondary" disabled={act.busy} onClick={() => void act.run(() => kiosk.payments.status({ outTradeNo: order.outTradeNo })).then(onDone)}>
          查询结果
        </button>
        <button type="button" className="danger" disabled={act.busy} onClick={() => void act.run(() => kiosk.payments.cancel({ outTradeNo: order.outTradeNo })).then(onDone)} data-testid="balance-cancel-open">
          取消该订单
        </button>
      </div>
      {act.error && <ErrorNotice error={act.error} />}
    </div>
  );
}

/**
 * Cash or bank-card POS by hand: the cashier types what was handed over (the change is shown) or the POS
 * slip's 参考号, then confirms on a second step; only then is anything recorded.
 */
function CounterCollect({ admissionId, channel, amountFen, onCollected, onBack }: { admissionId: string; channel: 'cash' | 'bank-card'; amountFen: number; onCollected: () => void; onBack: () => void }) {
  const kiosk = useKiosk();
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const collect = useAction(() =>
    kiosk.payments.collectBalance(
      channel === 'cash' ? { admissionId, channel, amountFen, tenderedFen: parseYuan(text) ?? 0 } : { admissionId, channel, amountFen, posReference: text.trim() },
    ),
  );
  const tendered = channel === 'cash' ? parseYuan(text) : null;
  const valid = channel === 'cash' ? tendered !== null && tendered >= amountFen : /^[0-9A-Za-z]{6,32}$/.test(text.trim());
  const problem = text.trim() === '' ? null : channel === 'cash' ? (tendered === null ? '请输入金额，如 700 或 700.50' : tendered < amountFen ? '实收金额不足应收金额' : null) : valid ? null : 'POS 参考号为 6–32 位字母或数字';
  const next = (e: FormEvent) => {
    e.preventDefault();
    if (valid) setConfirming(true);
  };
  if (confirming) {
    return (
      <form
        className="confirm-collect"
        data-testid="balance-confirm"
        onSubmit={(e) => {
          e.preventDefault();
          void collect.run().then((r) => r && onCollected());
        }}
      >
        <p className="due-callout collect">
          {channel === 'cash'
            ? `确认收取现金：应收 ${yuanText(amountFen)}，实收 ${yuanText(tendered!)}，找零 ${yuanText(tendered! - amountFen)}`
            : `确认银行卡收款 ${yuanText(amountFen)}（POS 参考号 ${text.trim()}）`}
        </p>
        <div className="actions">
          <button type="submit" className="primary" autoFocus disabled={collect.busy} data-testid="balance-confirm-submit">
            {collect.busy ? '正在记录…' : '确认收款（Enter）'}
          </button>
          <button type="button" className="secondary" disabled={collect.busy} onClick={() => setConfirming(false)}>
            修改
          </button>
        </div>
        {collect.error && <ErrorNotice error={collect.error} />}
      </form>
    );
  }
  return (
    <form className="inline-form" onSubmit={next} data-testid={`balance-${channel}-form`}>
      <p>
        应收 <strong className="money">{yuanText(amountFen)}</strong>
      </p>
      <label>
        {channel === 'cash' ? '实收金额（元）' : 'POS 参考号（见刷卡凭条）'}
        <input autoFocus value={text} onChange={(e) => setText(e.target.value)} inputMode={channel === 'cash' ? 'decimal' : 'text'} autoComplete="off" aria-invalid={problem !== null} data-testid={`balance-${channel}-input`} />
      </label>
      {channel === 'cash' && tendered !== null && tendered >= amountFen && (
        <p className="change" data-testid="balance-change">
          找零 <strong className="money">{yuanText(tendered - amountFen)}</strong>
        </p>
      )}
      {problem && <p className="field-error">{problem}</p>}
      <button type="submit" className="primary" disabled={!valid}>
        下一步（Enter）
      </button>
      <button type="button" className="secondary" onClick={onBack}>
        返回（Esc）
      </button>
    </form>
  );
}

/** 1–4 choose a way of collecting, while no field has the focus (the cashier's hands stay on the keyboard). */
function useDigitKeys(active: boolean, choose: (index: number) => void): void {
  useEffect(() => {
    if (!active) return;
    const h = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.ctrlKey || e.altKey || e.metaKey) return;
      const i = ['1', '2', '3', '4'].indexOf(e.key);
      if (i < 0) return;
      e.preventDefault();
      choose(i);
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [active, choose]);
}
