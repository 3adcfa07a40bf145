import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { DocumentKind } from '../../contract/dto/settlement.ts';
import type { DayEndQuery } from '../../contract/dto/day-end.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

type Kind = z.infer<typeof DocumentKind>;
interface DocRef {
  kind: Kind;
  admissionId?: string;
  settlementId?: string;
  /** day-end-report: which range and operator. */
  dayEnd?: DayEndQuery;
  /** Which payment a receipt prints (a 补缴收据) or which refund a 退费凭条 prints; default: the newest. */
  receiptNo?: string;
}

export const DOCUMENT_TITLES: Record<Kind, string> = {
  'settlement-sheet': '医保结算单',
  'fee-list': '住院费用清单',
  'admission-slip': '入院登记单',
  'deposit-receipt': '预交金收据',
  'day-end-report': '收款员日结报表',
  'refund-slip': '退费凭条',
};

/**
 * What a patient at the kiosk reads after printing: the services' message is for staff (it may name a spool
 * file), so the kiosk says the same thing in patient terms.
 */
const PATIENT_PRINT_TEXT: Record<string, (what: string) => string> = {
  printed: (what) => `已打印，请在出纸口取走${what}。`,
  'spooled-pdf': (what) => `打印机暂时不可用，${what}已保存，可到服务台补打。`,
  failed: (what) => `打印未成功，请到服务台补打${what}。`,
};

/** The paper as the kiosk's buttons name it (打印结算单 → 结算单已保存, not 凭条已保存). */
const PATIENT_DOCUMENT_TEXT: Record<Kind, string> = {
  'settlement-sheet': '结算单',
  'fee-list': '费用清单',
  'admission-slip': '入院凭条',
  'deposit-receipt': '收据',
  'day-end-report': '日结报表',
  'refund-slip': '退费凭条',
};

/**
 * Prints one document through the terminal's printer and says plainly whether it worked. `also` prints more
 * documents with the same tap (适老化: one print action per screen); the outcome shown is the first that did
 * not print, else the last.
 */
export function PrintButton({ doc, also = [], label, large = false }: { doc: DocRef; also?: DocRef[]; label?: string; large?: boolean }) {
  const kiosk = useKiosk();
  const action = useAction(async () => {
    let last = { ...(await kiosk.documents.print(doc)), what: PATIENT_DOCUMENT_TEXT[doc.kind] };
    for (const d of also) {
      if (last.status !== 'printed') break;
      last = { ...(await kiosk.documents.print(d)), what: PATIENT_DOCUMENT_TEXT[d.kind] };
    }
    // Every paper in the tray: name them all (入院凭条和收据), as the button did.
    if (last.status === 'printed' && also.length > 0) last.what = [doc, ...also].map((d) => PATIENT_DOCUMENT_TEXT[d.kind]).join('和');
    return last;
  });
  const [outcome, setOutcome] = useState<{ status: string; message: string; what: string } | null>(null);
  const print = async () => {
    setOutcome(null);
    const r = await action.run();
    if (r) setOutcome(r);
  };
  return (
    <div className="print-action">
      <button type="button" className={large ? 'primary big' : 'secondary'} onClick={print} disabled={action.busy} data-testid={`print-${doc.kind}`}>
        {action.busy ? '正在打印…' : (label ?? `打印${DOCUMENT_TITLES[doc.kind]}`)}
      </button>
      {outcome && (
        // Green only for paper in the tray: a document spooled for later is not printed yet, so it reads as a warning.
        <p className={outcome.status === 'printed' ? 'ok-text' : 'warn-text'} data-testid={`print-${doc.kind}-result`} data-status={outcome.status} role="status">
          {large ? PATIENT_PRINT_TEXT[outcome.status]?.(outcome.what) : outcome.message}
        </p>
      )}
      {action.error && <ErrorNotice error={action.error} />}
    </div>
  );
}

/**
 * The document as the services render it, shown in a sandboxed frame (no scripts, no navigation): the HTML
 * comes from the terminal, but a frame without privileges costs nothing and keeps the page's own DOM clean.
 */
export function DocumentPreview({ doc }: { doc: DocRef }) {
  const kiosk = useKiosk();
  const [html, setHtml] = useState<{ title: string; html: string; media: string } | null>(null);
  const [loaded, setLoaded] = useState(false);
  const action = useAction(() => kiosk.documents.render({ ...doc, pdf: false }));
  const { run } = action;
  const key = `${doc.kind}:${doc.admissionId ?? ''}:${doc.settlementId ?? ''}`;
  useEffect(() => {
    void run().then((r) => r && setHtml({ title: r.title, html: r.html, media: r.media }));
  }, [run, key]);
  if (action.error) return <ErrorNotice error={action.error} />;
  if (!html) return <p className="muted">正在生成{DOCUMENT_TITLES[doc.kind]}…</p>;
  return (
    <figure className={`doc-preview ${html.media}`} data-testid={`preview-${doc.kind}`} data-loaded={loaded}>
      <figcaption>{html.title}</figcaption>
      <iframe title={html.title} sandbox="" srcDoc={html.html} onLoad={() => setLoaded(true)} />
    </figure>
  );
}
