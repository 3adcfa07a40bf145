import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ADMISSION_STATUS_TEXT } from '../components/labels.ts';

/**
 * Stays that can be discharged here (local store and 5303), and settled stays whose balance is still due. Search by 住院号, bed or 人员编号; a card read
 * looks the cardholder up and searches by their 人员编号. ↑/↓ move through the list, Enter opens the stay.
 */
export function OpenStays({ onOpen }: { onOpen: (stay: AdmissionView) => void }) {
  const kiosk = useKiosk();
  const [q, setQ] = useState('');
  const [stays, setStays] = useState<AdmissionView[] | null>(null);
  const [active, setActive] = useState(0);
  const load = useAction((query: string) => kiosk.discharge.openStays(query ? { q: query } : {}));
  const { run } = load;
  const search = useCallback(
    (query: string) =>
      void run(query).then((r) => {
        if (!r) return;
        setStays(r);
        setActive(0);
      }),
    [run],
  );
  useEffect(() => search(''), [search]);
  // A card read finds the cardholder's stays by 人员编号 (the card itself carries no stay number).
  const identify = useAction(() => kiosk.eligibility.check({ credential: { kind: 'card' } }));
  const { run: identifyRun } = identify;
  useKioskEvent('card-read', () => {
    void identifyRun().then((d) => {
      if (!d) return;
      setQ(d.person.psnNo);
      search(d.person.psnNo);
    });
  });
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    search(q.trim());
  };
  const onKey = (e: KeyboardEvent) => {
    if (!stays || stays.length === 0 || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    const inTable = e.target instanceof HTMLButtonElement && buttons.current.includes(e.target);
    const next = !inTable ? 0 : e.key === 'ArrowDown' ? Math.min(active + 1, stays.length - 1) : Math.max(active - 1, 0);
    setActive(next);
    buttons.current[next]?.focus();
  };
  return (
    <section className="panel" data-testid="open-stays" onKeyDown={onKey}>
      <h2>在院患者</h2>
      <form className="inline-form" onSubmit={submit} role="search">
        <label>
          住院号 / 床号 / 医保人员编号
          <input autoFocus value={q} onChange={(e) => setQ(e.target.value)} name="stay-search" autoComplete="off" data-testid="stay-search" />
        </label>
        <button type="submit">查询（Enter）</button>
        <span className="muted">或刷社保卡 · ↑↓ 选择 · 在列表中按 Enter 打开</span>
      </form>
      {load.error && <ErrorNotice error={load.error} />}
      {identify.error && <ErrorNotice error={identify.error} onDismiss={identify.clear} />}
      {stays && stays.length === 0 && <p className="muted">没有符合条件的在院患者。</p>}
      {stays && stays.length > 0 && (
        <table className="grid selectable" data-testid="stays">
          <thead>
            <tr>
              <th>住院号</th>
              <th>姓名</th>
              <th>参保地</th>
              <th>科室 / 床位</th>
              <th>入院时间</th>
              <th>预交金</th>
              <th>费用</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {stays.map((s, i) => (
              <tr key={s.admissionId} className={i === active ? 'active' : undefined} data-testid="stay-row" data-ipt-no={s.iptNo}>
                <td>{s.iptNo}</td>
                <td>{s.person.displayName}</td>
                <td>{s.person.insuplcName}</td>
                <td>
                  {s.deptName} / {s.bed}
                </td>
                <td>{chineseDateTime(s.begntime)}</td>
                <td className="num">{yuanText(s.depositsFen)}</td>
                <td className="num">{yuanText(s.chargesFen)}</td>
                <td data-testid="stay-status">
                  {ADMISSION_STATUS_TEXT[s.status] ?? s.status}
                  {(s.balanceDueFen ?? 0) > 0 && <strong className="due-owed"> · 待补缴 {yuanText(s.balanceDueFen!)}</strong>}
                </td>
                <td>
                  <button type="button" ref={(el) => {
                      buttons.current[i] = el;
                    }}
                    onFocus={() => setActive(i)} onClick={() => onOpen(s)} data-testid="open-stay">
                    {s.status === 'settled' ? '收取补缴' : '办理出院'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
