import { useEffect, useState, type ReactNode } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { Credential } from '../../contract/dto/eligibility.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { toShownError, type ShownError } from '../app/errors.ts';
import { chineseDate, yuanText } from '../app/format.ts';
import { useElderly } from '../app/elderly.tsx';
import { Busy } from '../components/Busy.tsx';
import { PrintButton } from '../components/Documents.tsx';
import type { Booking } from './session.ts';

/** How the kiosk takes the deposit: the QR the patient scans, or the patient's 付款码 at the scanner. */
type Scene = 'qr' | 'bar_code';
const SCENE_TEXT: Record<Scene, string> = { qr: '支付宝扫码支付', bar_code: '出示支付宝付款码' };

/** The patient's booked admissions (预约入院), to choose the one to check in. */
export function BookingsScreen({
  credential,
  onChoose,
  onFailed,
  end,
}: {
  credential: Credential;
  onChoose: (b: Booking) => void;
  onFailed: (e: ShownError) => void;
  end: ReactNode;
}) {
  const kiosk = useKiosk();
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  useEffect(() => {
    let live = true;
    kiosk.admission
      .findBooked({ credential })
      .then((r) => live && setBookings(r.bookings))
      .catch((e: unknown) => live && onFailed(toShownError(e)));
    return () => {
      live = false;
    };
    // The credential and the failure callback are fixed for this screen's life.
  }, [kiosk]);
  if (!bookings) {
    return (
      <main className="kiosk-screen" data-testid="ss-bookings-loading">
        <Busy text="正在查询您的预约入院信息…" />
      </main>
    );
  }
  return (
    <main className="kiosk-screen" data-testid="ss-bookings">
      {bookings.length === 0 ? (
        <>
          <h1 data-voice="没有查询到您的预约入院信息">没有查询到您的预约入院信息</h1>
          <ol className="guidance big-list">
            <li>请确认医生已为您开具住院证并完成预约。</li>
            <li>如需帮助，请到入院登记窗口办理。</li>
          </ol>
        </>
      ) : (
        <>
          <h1 data-voice="请选择要办理报到的预约">请选择要办理报到的预约</h1>
          <ul className="choice-list">
            {bookings.map((b) => (
              <li key={b.bookingId}>
                <button
                  type="button"
                  className="choice"
                  // A booking whose day has not come is refused here, before any deposit or payment step.
                  onClick={() => (b.refusal ? onFailed({ code: 'ADMISSION_STATE', ...b.refusal }) : onChoose(b))}
                  data-testid="ss-booking"
                  data-ready={b.refusal ? 'false' : 'true'}
                >
                  <strong>{b.deptName}</strong>
                  <span>
                    {b.ward} · {b.bed} 床
                  </span>
                  <span>预约入院日期 {chineseDate(b.plannedDate)}</span>
                  {b.refusal && <span className="field-error">尚未到报到时间</span>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="actions">{end}</div>
    </main>
  );
}

const SCENES: Scene[] = ['qr', 'bar_code'];

/** Deposit confirmation: the suggested 预交金, how it is paid, or checking in and paying at the window. */
export function DepositScreen({
  booking,
  busy,
  onConfirm,
  end,
}: {
  booking: Booking;
  busy: boolean;
  onConfirm: (deposit: { amountFen: number; scene: Scene } | null) => void;
  end: ReactNode;
}) {
  const [scene, setScene] = useState<Scene>('qr');
  const amount = booking.suggestedDepositFen;
  return (
    <main className="kiosk-screen" data-testid="ss-deposit">
      <h1 data-voice={`请确认预交金 ${yuanText(amount)}`}>请确认预交金</h1>
      <dl className="facts big-facts">
        <dt>科室</dt>
        <dd>{booking.deptName}</dd>
        <dt>病区 / 床位</dt>
        <dd>
          {booking.ward} / {booking.bed} 床
        </dd>
        <dt>预交金</dt>
        <dd className="money" data-testid="ss-deposit-amount">
          {yuanText(amount)}
        </dd>
      </dl>
      <fieldset className="method-choice">
        <legend>支付方式</legend>
        {SCENES.map((m) => (
          <button key={m} type="button" className={`choice${m === scene ? ' selected' : ''}`} aria-pressed={m === scene} onClick={() => setScene(m)} data-testid={`ss-pay-${m}`}>
            {SCENE_TEXT[m]}
          </button>
        ))}
      </fieldset>
      {busy && <Busy text="正在办理入院报到…" />}
      <div className="actions">
        <button type="button" className="primary big" disabled={busy || amount <= 0} onClick={() => onConfirm({ amountFen: amount, scene })} data-testid="ss-deposit-confirm">
          确认缴纳并报到
        </button>
        <button type="button" className="secondary big" disabled={busy} onClick={() => onConfirm(null)} data-testid="ss-deposit-later">
          仅报到，到窗口缴费
        </button>
        {end}
      </div>
    </main>
  );
}

/** Checked in: the 住院号 and where to go, with the slip and the deposit receipt to print. */
export function CheckedInScreen({ admission, depositFen, onDone }: { admission: AdmissionView; depositFen: number; onDone: () => void }) {
  const queued = admission.status === 'queued';
  const elderly = useElderly().on;
  const paid = depositFen > 0 || admission.depositsFen > 0;
  const slip = { kind: 'admission-slip' as const, admissionId: admission.admissionId };
  const receipt = { kind: 'deposit-receipt' as const, admissionId: admission.admissionId };
  return (
    <main className="kiosk-screen" data-testid="ss-checked-in">
      <h1 className="verdict ok" data-voice={`报到成功，请到${admission.deptName}${admission.ward}护士站`}>
        报到成功
      </h1>
      <dl className="facts big-facts">
        <dt>住院号</dt>
        <dd data-testid="ss-ipt-no">{admission.iptNo}</dd>
        <dt>请前往</dt>
        <dd>
          {admission.deptName} {admission.ward} 护士站（{admission.bed} 床）
        </dd>
        <dt>已交预交金</dt>
        <dd className="money">{yuanText(depositFen || admission.depositsFen)}</dd>
      </dl>
      {queued && <p className="cached-note">医保平台暂时无法连接：您的入院登记已保存，连接恢复后自动上传，不影响您住院。</p>}
      <div className="actions">
        {elderly ? (
          // 适老化: one print action, the slip and the receipt together.
          <PrintButton doc={slip} also={paid ? [receipt] : []} label={paid ? '打印入院凭条和收据' : '打印入院凭条'} large />
        ) : (
          <>
            <PrintButton doc={slip} label="打印入院凭条" large />
            {paid && <PrintButton doc={receipt} label="打印预交金收据" large />}
          </>
        )}
        <button type="button" className="secondary big" onClick={onDone} data-testid="ss-done">
          完成
        </button>
      </div>
    </main>
  );
}
