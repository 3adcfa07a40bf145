import { useCallback, useEffect, useState } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { DocumentPreview, PrintButton } from '../components/Documents.tsx';
import { ADMISSION_STATUS_TEXT } from '../components/labels.ts';
import { DepositByHand } from '../payment/DepositByHand.tsx';
import { DepositList } from '../payment/DepositList.tsx';
import { DepositTopUp } from '../payment/DepositTopUp.tsx';

/**
 * The registered admission. A queued one (registered offline) is re-read whenever the terminal's status moves,
 * so staff watch it turn into 在院 with its 就诊ID once the outbox has synced.
 */
export function AdmittedView({ admission: first, onNext }: { admission: AdmissionView; onNext: () => void }) {
  const kiosk = useKiosk();
  const [a, setA] = useState(first);
  const refresh = useCallback(() => {
    if (a.status !== 'queued') return;
    kiosk.admission
      .get({ admissionId: a.admissionId })
      .then(setA)
      .catch(() => undefined); // the next status event tries again
  }, [kiosk, a.status, a.admissionId]);
  useKioskEvent('status', refresh);
  useEffect(() => {
    if (a.status !== 'queued') return;
    const t = setInterval(refresh, 3000);
    return () => clearInterval(t);
  }, [a.status, refresh]);
  return (
    <section className="panel" data-testid="admitted" data-status={a.status}>
      <h2 className={`verdict ${a.status === 'queued' ? 'info' : 'ok'}`} data-testid="admitted-status">
        {a.status === 'queued' ? '已离线登记：医保平台暂时无法连接，连接恢复后自动上传' : a.status === 'admitted' ? '入院登记成功' : ADMISSION_STATUS_TEXT[a.status]}
      </h2>
      <dl className="facts">
        <dt>住院号</dt>
        <dd data-testid="admitted-ipt-no">{a.iptNo}</dd>
        <dt>医保就诊ID</dt>
        <dd data-testid="admitted-mdtrt-id">{a.mdtrtId ?? '待上传'}</dd>
        <dt>状态</dt>
        <dd>{ADMISSION_STATUS_TEXT[a.status] ?? a.status}</dd>
        <dt>患者</dt>
        <dd>
          {a.person.displayName} · {a.person.displayCertNo}
        </dd>
        <dt>科室 / 病区 / 床位</dt>
        <dd>
          {a.deptName} / {a.ward} / {a.bed}
        </dd>
        <dt>主治医生</dt>
        <dd>{a.attendingDoctorName}</dd>
        <dt>入院诊断</dt>
        <dd>
          {a.diagnosisCode} {a.diagnosisName}
        </dd>
        <dt>入院时间</dt>
        <dd>{chineseDateTime(a.begntime)}</dd>
        <dt>预交金</dt>
        <dd>{yuanText(a.depositsFen)}</dd>
        <dt>结算方式</dt>
        <dd>{a.direct ? '医保直接结算' : '自费，出院后零星报销'}</dd>
      </dl>
      <div className="actions">
        <PrintButton doc={{ kind: 'admission-slip', admissionId: a.admissionId }} />
        {a.depositsFen > 0 && <PrintButton doc={{ kind: 'deposit-receipt', admissionId: a.admissionId }} />}
        <button type="button" className="primary" autoFocus onClick={onNext} data-testid="next-patient">
          下一位患者（Enter）
        </button>
      </div>
      {(a.status === 'admitted' || a.status === 'queued') && (
        <>
          <DepositTopUp
            admissionId={a.admissionId}
            onApplied={() =>
              void kiosk.admission
                .get({ admissionId: a.admissionId })
                .then(setA)
                .catch(() => undefined)
            }
          />
          <DepositByHand admissionId={a.admissionId} onApplied={setA} />
        </>
      )}
      <DepositList
        admissionId={a.admissionId}
        version={a.depositsFen}
        onVoided={() =>
          void kiosk.admission
            .get({ admissionId: a.admissionId })
            .then(setA)
            .catch(() => undefined)
        }
      />
      {/* Rendered again when a top-up or the platform's 就诊ID changes what the slip says. */}
      <DocumentPreview key={`${a.status}:${a.depositsFen}`} doc={{ kind: 'admission-slip', admissionId: a.admissionId }} />
    </section>
  );
}
