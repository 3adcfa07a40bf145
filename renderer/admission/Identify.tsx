import { ReadIdCard } from '../components/ReadIdCard.tsx';
import { useState, type FormEvent } from 'react';
import type { CardView } from '../../contract/dto/card.ts';
import type { Credential } from '../../contract/dto/eligibility.ts';
import { certNoProblem } from '../app/cert-no.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { toShownError, type ShownError } from '../app/errors.ts';
import { useWedgeScanner } from '../input/useWedgeScanner.ts';
import { DEFAULT_WEDGE } from '../input/wedge.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { CERT_TYPE_TEXT } from '../components/labels.ts';

export type AdmissionType = 'normal' | 'emergency';
type CertType = '01' | '02' | '03';

/**
 * Who is the patient: the card in the reader, a scanned 医保电子凭证 (HID event or keyboard-wedge burst), or a
 * certificate number typed by staff. All three are live at once; whichever comes first wins.
 */
export function Identify({
  onIdentified: identified,
  switchFrom = null,
  admissionType,
  onAdmissionType,
  error,
}: {
  onIdentified: (credential: Credential, card: CardView | null) => void;
  /** The card was refused (lost, expired…): the same person is checked again with another credential. */
  switchFrom?: { code: string; text: string } | null;
  admissionType: AdmissionType;
  onAdmissionType: (t: AdmissionType) => void;
  error: ShownError | null;
}) {
  const [certType, setCertType] = useState<CertType>('02');
  const [certNo, setCertNo] = useState('');
  const [cardSn, setCardSn] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [cardError, setCardError] = useState<ShownError | null>(null);
  const [reading, setReading] = useState(false);
  /** A new lookup starts clean: no error panel of an earlier card, scan or typed number stays beside it. */
  const onIdentified = (credential: Credential, card: CardView | null) => {
    setCardError(null);
    setProblem(null);
    identified(credential, card);
  };

  useKioskEvent('card-inserted', () => {
    setReading(true);
    setCardError(null);
  });
  useKioskEvent('card-read', ({ card }) => {
    setReading(false);
    onIdentified({ kind: 'card' }, card);
  });
  useKioskEvent('card-error', ({ error: e }) => {
    setReading(false);
    setCardError(toShownError({ ...e }));
  });
  useKioskEvent('qr-scanned', ({ code }) => onIdentified({ kind: 'qr', code }, null));
  useWedgeScanner(
    (code) => onIdentified({ kind: 'qr', code }, null),
    true,
    DEFAULT_WEDGE,
    (certNo) => onIdentified({ kind: 'id', certType: '02', certNo }, null),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = certNoProblem(certType, certNo);
    if (p) return setProblem(p);
    if (certType === '03' && !/^[0-9A-Fa-f]{32}$/.test(cardSn.trim())) return setProblem('请输入 32 位卡识别码（社保卡背面或读卡信息中）。');
    setProblem(null);
    const no = certType === '01' ? certNo.trim() : certNo.trim().toUpperCase();
    onIdentified({ kind: 'id', certType, certNo: no, ...(certType === '03' ? { cardSn: cardSn.trim().toUpperCase() } : {}) }, null);
  };

  return (
    <section className="panel identify" data-testid="identify">
      <h2>识别患者</h2>
      {switchFrom && (
        <div className="switch-note" role="alert" data-testid="switch-credential">
          <p>
            <strong>社保卡不能用于本次医保结算：</strong>
            {switchFrom.text}
          </p>
          <p>
            请改用以下任一方式重新核验：将居民身份证放在身份证阅读器上按 <kbd>F2</kbd> 读取，扫描医保电子凭证，或在右侧输入身份证号码按 Enter。
            {switchFrom.code === 'card-replaced' ? '也可插入补换的新卡。' : ''}
          </p>
        </div>
      )}
      <fieldset className="inline">
        <legend>入院类型</legend>
        <label>
          <input type="radio" name="admissionType" checked={admissionType === 'normal'} onChange={() => onAdmissionType('normal')} />
          普通入院
        </label>
        <label>
          <input type="radio" name="admissionType" checked={admissionType === 'emergency'} onChange={() => onAdmissionType('emergency')} data-testid="admission-emergency" />
          急诊入院（视同已备案）
        </label>
      </fieldset>
      <div className="identify-ways">
        <div className="way-box" data-testid="identify-card">
          <h3>刷社保卡</h3>
          <p>{reading ? '正在读卡，请勿拔卡…' : '请将社保卡插入读卡器'}</p>
          <h3>扫医保电子凭证</h3>
          <p>请患者出示医保电子凭证二维码，用扫码枪扫描</p>
          <h3>读身份证</h3>
          <ReadIdCard hotkey="F2" onRead={() => onIdentified({ kind: 'idcard' }, null)} />
        </div>
        <form className="form way-box" onSubmit={submit} noValidate data-testid="identify-id">
          <h3>输入证件号码</h3>
          <label>
            证件类型
            <select value={certType} onChange={(e) => setCertType(e.target.value as CertType)} name="certType">
              {(['02', '03', '01'] as const).map((t) => (
                <option key={t} value={t}>
                  {CERT_TYPE_TEXT[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {certType === '01' ? '电子凭证令牌' : certType === '03' ? '社会保障卡卡号' : '身份证号码'}
            <input autoFocus name="certNo" value={certNo} onChange={(e) => setCertNo(e.target.value)} maxLength={50} autoComplete="off" spellCheck={false} />
          </label>
          {certType === '03' && (
            <label>
              卡识别码
              <input name="cardSn" value={cardSn} onChange={(e) => setCardSn(e.target.value)} maxLength={32} autoComplete="off" spellCheck={false} />
            </label>
          )}
          {problem && (
            <p className="field-error" role="alert" data-testid="identify-problem">
              {problem}
            </p>
          )}
          <button type="submit" className="primary">
            查询（Enter）
          </button>
        </form>
      </div>
      {cardError && <ErrorNotice error={cardError} onDismiss={() => setCardError(null)} />}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
