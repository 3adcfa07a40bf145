import { useId, useRef, useState } from 'react';
import type { ChargesSummary, ImportPreview } from '../../contract/dto/charges.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { Busy } from '../components/Busy.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/** Lines shown in the preview table; the rest are counted (the file is imported whole either way). */
const PREVIEW_ROWS = 200;

/** CSV or JSON by the file's name, else by its first character (a HIS may name exports .txt). */
export function importFormat(fileName: string, content: string): 'csv' | 'json' {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(content.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

/**
 * HIS fee file import at the counter: choose the file, see every line as it will be billed and every problem
 * with its line number, then import. Nothing is stored until 确认导入, and a file with problems is never
 * imported (the services take it all or nothing): the cashier corrects it in the HIS and chooses it again.
 */
export function HisImport({ admissionId, onImported }: { admissionId: string; onImported: (c: ChargesSummary) => void }) {
  const kiosk = useKiosk();
  const fileInput = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const inputId = useId();
  const [file, setFile] = useState<{ name: string; format: 'csv' | 'json'; content: string } | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const check = useAction((f: { format: 'csv' | 'json'; content: string }) => kiosk.charges.previewImport({ admissionId, ...f }));
  const commit = useAction((f: { format: 'csv' | 'json'; content: string }) => kiosk.charges.import({ admissionId, ...f }));

  const choose = async (chosen: File | undefined) => {
    setPreview(null);
    setDone(null);
    commit.clear();
    if (!chosen) return setFile(null);
    const content = await chosen.text();
    const f = { name: chosen.name, format: importFormat(chosen.name, content), content };
    setFile(f);
    const p = await check.run(f);
    if (p) setPreview(p);
  };
  const reset = () => {
    setFile(null);
    setPreview(null);
    if (fileInput.current) fileInput.current.value = '';
  };
  const confirm = async () => {
    if (!file || !preview) return;
    const added = preview.lines.filter((l) => l.outcome === 'new').length;
    const summary = await commit.run(file);
    if (!summary) return;
    onImported(summary);
    setDone(`已导入“${file.name}”：新增 ${added} 项，合计 ${yuanText(preview.newFen)}。`);
    reset();
  };

  const fresh = preview?.lines.filter((l) => l.outcome === 'new').length ?? 0;
  const unchanged = (preview?.lines.length ?? 0) - fresh;
  const problemCount = (preview?.problems.length ?? 0) + (preview?.moreProblems ?? 0);
  return (
    <section className="charge-entry" aria-labelledby={headingId} data-testid="his-import">
      <h3 id={headingId}>导入 HIS 费用文件</h3>
      {/* The browser's own file button speaks the system's language: a Chinese one stands in for it. */}
      <div className="file-choice">
        <input
          ref={fileInput}
          id={inputId}
          className="sr-only"
          type="file"
          accept=".csv,.json,.txt,text/csv,application/json"
          onChange={(e) => void choose(e.target.files?.[0])}
          data-testid="his-file"
          name="his-file"
        />
        <label htmlFor={inputId} className="file-button">
          选择文件（CSV 或 JSON）…
        </label>
        <span className="muted">{file ? file.name : '未选择文件'}</span>
      </div>
      {check.busy && <Busy text="正在检查文件…" />}
      {check.error && <ErrorNotice error={check.error} />}
      {done && (
        <p className="ok-note" role="status" data-testid="his-imported">
          {done}
        </p>
      )}
      {preview && file && (
        <div className="import-preview" data-testid="import-preview" data-problems={problemCount}>
          <p data-testid="import-preview-summary">
            “{file.name}”：新增 {fresh} 项，合计 {yuanText(preview.newFen)}
            {unchanged > 0 && `；${unchanged} 项已导入过，将跳过`}
            {problemCount > 0 && `；${problemCount} 处错误`}
          </p>
          {problemCount > 0 && (
            <div className="conflicts" role="alert" data-testid="import-problems">
              <h4>文件有误，未导入任何明细。请在 HIS 中修正后重新导出，再选择文件：</h4>
              <ul>
                {preview.problems.map((p, i) => (
                  <li key={i} data-testid="import-problem">
                    {p.where}：{p.message}
                  </li>
                ))}
                {preview.moreProblems > 0 && <li>……另有 {preview.moreProblems} 处错误</li>}
              </ul>
            </div>
          )}
          {preview.lines.length > 0 && (
            <div className="scroll short" tabIndex={0} role="region" aria-label="将导入的费用明细">
              <table className="grid" data-testid="import-preview-lines">
                <caption className="sr-only">将导入的费用明细</caption>
                <thead>
                  <tr>
                    <th>位置</th>
                    <th>流水号</th>
                    <th>项目</th>
                    <th>类别</th>
                    <th>数量</th>
                    <th>单价</th>
                    <th>金额</th>
                    <th>发生时间</th>
                    <th>处理</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.lines.slice(0, PREVIEW_ROWS).map((l, i) => (
                    <tr key={i} data-outcome={l.outcome}>
                      <td>{l.where}</td>
                      <td>{l.feedetlSn ?? '（自动编号）'}</td>
                      <td>{l.name}</td>
                      <td>{l.chrgitmLabel}</td>
                      <td className="num">{l.cnt}</td>
                      <td className="num">{yuanText(l.pricFen)}</td>
                      <td className="num">{yuanText(l.amountFen)}</td>
                      <td>{chineseDateTime(l.feeOcurTime)}</td>
                      <td>{l.outcome === 'new' ? '新增' : '已导入过，跳过'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.lines.length > PREVIEW_ROWS && <p className="muted">仅显示前 {PREVIEW_ROWS} 行，共 {preview.lines.length} 行。</p>}
            </div>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={problemCount > 0 || fresh === 0 || commit.busy} onClick={() => void confirm()} data-testid="his-import-confirm">
              {commit.busy ? '正在导入…' : `确认导入（${fresh} 项）`}
            </button>
            <button type="button" className="secondary" onClick={reset} disabled={commit.busy}>
              取消
            </button>
          </div>
          {commit.error && <ErrorNotice error={commit.error} />}
        </div>
      )}
    </section>
  );
}
