import { useState, type ReactNode } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import { chineseDate, yuanText } from '../app/format.ts';
import { BreakdownTable, dueText } from '../components/BreakdownTable.tsx';
import { Busy } from '../components/Busy.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { OnScreenKeyboard } from '../components/OnScreenKeyboard.tsx';
import { FoldToFit } from '../components/FoldToFit.tsx';
import { KeepTogether } from '../components/KeepTogether.tsx';
import { useElderly } from '../app/elderly.tsx';
import type { ShownError } from '../app/errors.ts';
import type { Pre } from './session.ts';
import { refundText } from './refund-text.ts';
import { BalanceChoice, type PayScene } from './PayBalance.tsx';
import { patientRefundSentence } from '../../contract/refund-text.ts';
import { useRefunds } from '../payment/useRefunds.ts';

/** What the fund pays, what the patient pays, and 多退少补 against the deposit, in one sentence and a table. */
function summary(b: Pre['breakdown']): string {
  const fund = b.hifpPayFen + b.hifmiPayFen + b.mafPayFen;
  const due = dueText(b);
  const tail = due.kind === 'refund' ? `，应退还您 ${due.amount}` : due.kind === 'collect' ? `，您还需补缴 ${due.amount}` : '，无需补退';
  return `本次住院总费用 ${yuanText(b.medfeeSumamtFen)}，医保基金支付 ${yuanText(fund)}，个人账户支付 ${yuanText(b.acctPayFen)}，个人现金支付 ${yuanText(b.psnCashPayFen)}；已交预交金 ${yuanText(b.depositFen)}${tail}。`;
}

export function PreSettleScreen({ stay, pre, busy, onConfirm, end }: { stay: AdmissionView; pre: Pre; busy: boolean; onConfirm: () => void; end: ReactNode }) {
  const text = summary(pre.breakdown);
  const elderly = useElderly().on;
  return (
    <main className="kiosk-screen" data-testid="ss-presettle">
      <h1>请核对本次住院费用</h1>
      <p className="muted">
        {stay.deptName} · 住院号 {stay.iptNo} · 入院 {chineseDate(stay.begntime)}
      </p>
      <div className="sentence-and-table">
        <p className="plain-summary" data-voice={text} data-testid="ss-presettle-summary">
          <KeepTogether text={text} />
        </p>
        {/* 适老化: the sentence says every figure; the table folds behind 查看费用明细 when the screen cannot hold both. */}
        <FoldToFit
          on={elderly}
          blocks={[
            ...(pre.refusedLines.length > 0
              ? [{ key: 'refused', title: '未通过审核的费用', node: <p className="cached-note">有 {pre.refusedLines.length} 项费用未通过医保审核，已按自费计算；如有疑问请到出院结算窗口咨询。</p> }]
              : []),
            { key: 'breakdown', title: '费用明细', node: <BreakdownTable breakdown={pre.breakdown} detailed={false} /> },
          ]}
        />
      </div>
      {busy && <Busy text="正在结算，请不要离开…" />}
      <div className="actions">
        <button type="button" className="primary big" onClick={onConfirm} disabled={busy} data-testid="ss-settle-confirm">
          确认结算
        </button>
        {end}
      </div>
    </main>
  );
}

/** The card PIN when the platform asks for it, on the kiosk keyboard, never shown. */
export function PinScreen({
  busy,
  problem,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  /** The card refused the last PIN: its words (社会保障卡密码错误，还可尝试2次。) above an empty keypad. */
  problem: ShownError | null;
  onSubmit: (pin: string) => void;
  onCancel: () => void;
}) {
  const [pin, setPin] = useState('');
  const submit = () => {
    const typed = pin;
    // Out of the screen's state at once: nothing of the PIN stays in the page while the card checks it.
    setPin('');
    onSubmit(typed);
  };
  return (
    <main className="kiosk-screen center osk-screen" data-testid="ss-pin">
      <h1 data-voice={problem ? `${problem.message}请重新输入密码` : '请输入社保卡密码'}>{problem ? '请重新输入社保卡密码' : '请输入社保卡密码'}</h1>
      {problem && (
        <div className="pin-problem" role="alert" data-testid="ss-pin-problem">
          <p>{problem.message}</p>
          {problem.guidance.map((g) => (
            <p key={g} className="muted">
              {g}
            </p>
          ))}
        </div>
      )}
      <output className="osk-display pin" aria-label={`已输入 ${pin.length} 位`}>
        {'●'.repeat(pin.length) || ' '}
      </output>
      <OnScreenKeyboard layout="digits" value={pin} onChange={setPin} maxLength={6} />
      {busy && <Busy text="正在结算，请不要离开…" />}
      <div className="actions">
        <button type="button" className="secondary big" onClick={onCancel} disabled={busy}>
          返回
        </button>
        <button type="button" className="primary big" disabled={busy || pin.length !== 6} onClick={submit} data-testid="ss-pin-submit">
          确定
        </button>
      </div>
    </main>
  );
}

export function SettledScreen({
  settlement,
  stay,
  cashier,
  onDone,
  onPayBalance,
}: {
  settlement: SettlementView;
  stay: AdmissionView;
  cashier: string;
  onDone: () => void;
  /** 少补: pay the balance here through the gateway (scene), or leave it for the window (null). */
  onPayBalance: (pay: { scene: PayScene; amountFen: number } | null) => void;
}) {
  const due = dueText(settlement.breakdown);
  const elderly = useElderly().on;
  // A refund is told as the terminal has it (退款中 / 已退 / 待人工处理, where and how): never "已退回" before it is.
  const { refunds } = useRefunds(settlement.admissionId, settlement.settlementId);
  const refundNow = refunds && refunds.length > 0 ? refunds.map((r) => patientRefundSentence(r, yuanText(r.amountFen))).join('') : null;
  const next =
    due.kind === 'refund'
      ? (refundNow ?? refundText(due.amount, stay.depositMethods, cashier))
      : due.kind === 'collect'
        ? ''
        : '无需补退费用。';
  return (
    <main className="kiosk-screen" data-testid="ss-settled">
      <h1 className="verdict ok" data-voice={`结算完成。${next}`}>
        结算完成
      </h1>
      <div className="sentence-and-table">
        {due.kind === 'collect' ? (
          <BalanceChoice admissionId={stay.admissionId} cashier={cashier} onPay={(scene, amountFen) => onPayBalance({ scene, amountFen })} onLater={() => onPayBalance(null)} />
        ) : (
          <p className="plain-summary" data-testid="ss-settled-due" data-due-kind={due.kind} data-refund-states={refunds?.map((r) => r.state).join(',') ?? ''}>
            <KeepTogether text={next} />
          </p>
        )}
        <FoldToFit on={elderly} blocks={[{ key: 'breakdown', title: '费用明细', node: <BreakdownTable breakdown={settlement.breakdown} detailed={false} /> }]} />
      </div>
      <div className="actions">
        <PrintButton doc={{ kind: 'settlement-sheet', settlementId: settlement.settlementId, admissionId: settlement.admissionId }} label="打印结算单" large />
        <button type="button" className="secondary big" onClick={onDone} data-testid="ss-done">
          完成
        </button>
      </div>
    </main>
  );
}
