import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ChargesSummary } from '../../contract/dto/charges.ts';
import type { QueueItem } from '../../contract/dto/operations.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

type Item = z.infer<typeof QueueItem>;

/** How often the counter looks again while lines wait in the queue (the relay sends them on its own). */
const POLL_MS = 3_000;

/** Why a queued 2301/2302 of this stay is still waiting, in the queue's words. */
export function waitingReason(item: Item): string {
  const what = item.infno === '2302' ? '费用撤销' : '费用上传';
  switch (item.state) {
    case 'in-flight':
      return `${what}：正在发送`;
    case 'unknown-outcome':
      return `${what}：结果未知，正在向医保平台核实`;
    case 'dead':
      return `${what}：失败，需处理（${item.lastError ?? '原因未记录'}）。请在“上传队列”中重试或取消`;
    default:
      return item.lastError
        ? `${what}：等待重试（${item.lastError}）${item.nextAttemptAt ? `，下次 ${item.nextAttemptAt.slice(11, 19)}` : ''}`
        : `${what}：排队等待发送`;
  }
}

/**
 * 2301 upload with its progress: how many of the bill's lines the platform has, how many wait and why. The
 * relay keeps sending after the call returns (an outage queues the lines), so the counter keeps looking until
 * nothing of this stay waits.
 */
export function UploadProgress({ charges, onCharges }: { charges: ChargesSummary; onCharges: (c: ChargesSummary) => void }) {
  const kiosk = useKiosk();
  const admissionId = charges.admissionId;
  const upload = useAction(() => kiosk.charges.upload({ admissionId }));
  const [waiting, setWaiting] = useState<Item[]>([]);
  const inBill = charges.lines.filter((l) => l.state === 'local' || l.state === 'uploaded');
  const sent = inBill.filter((l) => l.state === 'uploaded').length;
  const unsent = inBill.length - sent;
  const refused = charges.lines.filter((l) => l.state === 'refused').length;

  const signature = charges.lines.map((l) => `${l.feedetlSn}:${l.state}`).join(',');
  const active = unsent > 0 || waiting.length > 0;
  useEffect(() => {
    let live = true;
    const look = async () => {
      try {
        const q = await kiosk.queue.status({});
        const mine = q.items.filter((i) => i.visit === admissionId && (i.infno === '2301' || i.infno === '2302') && i.state !== 'done' && i.state !== 'cancelled');
        if (!live) return;
        setWaiting(mine);
        if (mine.length > 0 || active) {
          const c = await kiosk.charges.list({ admissionId });
          if (live && c.lines.map((l) => `${l.feedetlSn}:${l.state}`).join(',') !== signature) onCharges(c);
        }
      } catch {
        // The next look tries again; the screen keeps what it had.
      }
    };
    void look();
    const timer = active ? setInterval(() => void look(), POLL_MS) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [kiosk, admissionId, active, signature, onCharges]);

  const queued = waiting.length > 0;
  return (
    <div className="upload-progress" data-testid="upload-progress" data-sent={sent} data-total={inBill.length}>
      <p role="status">
        {inBill.length === 0 ? (
          '尚无费用明细：请导入 HIS 费用文件或录入费用。'
        ) : (
          <>
            <progress max={inBill.length} value={sent} aria-label="费用明细上传进度" /> 已上传 {sent} / {inBill.length} 项
            {unsent > 0 && (queued || upload.busy ? `，${unsent} 项正在上传` : `，${unsent} 项未上传`)}
            {refused > 0 && `；${refused} 项被医保平台拒绝（不计入费用）`}
          </>
        )}
      </p>
      {waiting.length > 0 && (
        <ul className="guidance" data-testid="upload-waiting">
          {waiting.map((i) => (
            <li key={i.id}>{waitingReason(i)}</li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="secondary"
        disabled={upload.busy || unsent === 0 || queued}
        onClick={async () => {
          const c = await upload.run();
          if (c) onCharges(c);
        }}
        data-testid="upload-charges"
      >
        {upload.busy ? `正在上传 ${unsent} 项…` : `上传费用明细${unsent ? `（${unsent} 项）` : ''}`}
      </button>
      {upload.error && <ErrorNotice error={upload.error} onDismiss={upload.clear} />}
    </div>
  );
}
