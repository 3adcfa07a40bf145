import { useMemo, useState } from 'react';
import type { FeeLine } from '../../contract/dto/charges.ts';
import type { ChargesSummary } from '../../contract/dto/charges.ts';
import { yuanText } from '../app/format.ts';
import { LEVEL_TEXT, LINE_STATE_TEXT } from '../components/labels.ts';

/**
 * The stay's charges: totals by 医疗收费项目类别 (each a filter) and the lines, searchable by name or
 * catalogue code. Pure view: the parent loads, uploads and cancels (a line's 撤销 asks the parent).
 */
export function ChargesView({ charges, onCancelLine }: { charges: ChargesSummary; onCancelLine?: (line: FeeLine) => void }) {
  const [category, setCategory] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const lines = useMemo(() => {
    const text = q.trim().toLowerCase();
    return charges.lines.filter(
      (l) => (category === null || l.chrgitmType === category) && (!text || l.name.toLowerCase().includes(text) || l.medListCodg.toLowerCase().includes(text)),
    );
  }, [charges.lines, category, q]);
  const shownFen = lines.reduce((s, l) => s + (l.state === 'cancelled' ? 0 : l.amountFen), 0);
  return (
    <section className="charges" data-testid="charges">
      <div className="categories" role="group" aria-label="费用类别">
        <button type="button" className={category === null ? 'chip current' : 'chip'} aria-pressed={category === null} onClick={() => setCategory(null)}>
          全部 {yuanText(charges.totalFen)}
        </button>
        {charges.byCategory.map((c) => (
          <button
            key={c.chrgitmType}
            type="button"
            className={category === c.chrgitmType ? 'chip current' : 'chip'}
            aria-pressed={category === c.chrgitmType}
            onClick={() => setCategory(category === c.chrgitmType ? null : c.chrgitmType)}
            data-testid="charge-category"
          >
            {c.label} {yuanText(c.amountFen)}
          </button>
        ))}
      </div>
      <label className="inline-label">
        检索费用
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="项目名称或编码" data-testid="charges-search" name="charges-search" autoComplete="off" />
      </label>
      <p className="muted" data-testid="charges-shown">
        显示 {lines.length} / {charges.lines.length} 项，合计 {yuanText(shownFen)}
      </p>
      <div className="scroll" tabIndex={0} role="region" aria-label="费用明细">
        <table className="grid" data-testid="charge-lines">
          <thead>
            <tr>
              <th>项目</th>
              <th>编码</th>
              <th>类别</th>
              <th>等级</th>
              <th>数量</th>
              <th>单价</th>
              <th>金额</th>
              <th>状态</th>
              {onCancelLine && <th>更正</th>}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.feedetlSn} data-state={l.state}>
                <td>{l.name}</td>
                <td>
                  <code>{l.medListCodg}</code>
                </td>
                <td>{l.chrgitmLabel}</td>
                <td>{l.level ? (LEVEL_TEXT[l.level] ?? l.level) : '目录外'}</td>
                <td className="num">{l.cnt}</td>
                <td className="num">{yuanText(l.pricFen)}</td>
                <td className="num">{yuanText(l.amountFen)}</td>
                <td title={l.refusal ?? undefined}>
                  {LINE_STATE_TEXT[l.state] ?? l.state}
                  {l.refusal ? `：${l.refusal}` : ''}
                </td>
                {onCancelLine && (
                  <td>
                    {(l.state === 'local' || l.state === 'uploaded') && (
                      <button type="button" className="secondary line-cancel" onClick={() => onCancelLine(l)} data-testid="cancel-line" aria-label={`撤销 ${l.name}（${l.feedetlSn}）`}>
                        撤销
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
