import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { QueueStatus } from '../../contract/dto/operations.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import { DEAD_REASON_TEXT, INFNO_TEXT, QUEUE_STATE_TEXT } from './labels.ts';

type Queue = z.infer<typeof QueueStatus>;

/**
 * The outbox as staff need it: how much waits, how old the oldest is, and the items that failed, with the
 * two actions the store offers (retry, cancel with a reason). Refreshes whenever the terminal's status moves.
 */
export function QueuePanel() {
  const kiosk = useKiosk();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const load = useAction(() => kiosk.queue.status({}));
  const act = useAction(async (fn: () => Promise<Queue>) => fn());
  const { run } = load;
  const refresh = useCallback(() => void run().then((q) => q && setQueue(q)), [run]);
  useEffect(refresh, [refresh]);
  useKioskEvent('status', refresh);
  const apply = async (fn: () => Promise<Queue>) => {
    const q = await act.run(fn);
    if (q) setQueue(q);
  };
  return (
    <section className="panel" data-testid="queue-panel">
      <h2>上传队列</h2>
      {load.error && <ErrorNotice error={load.error} />}
      {queue && (
        <>
          <p data-testid="queue-summary">
            待上传 <strong>{queue.depth}</strong> 笔
            {queue.oldestAgeSeconds != null ? `，最早一笔已等待 ${formatAge(queue.oldestAgeSeconds)}` : ''}
            {queue.deadLetters > 0 ? `，失败 ${queue.deadLetters} 笔需要处理` : ''}
          </p>
          {queue.items.length === 0 ? (
            <p className="muted">队列为空：所有业务均已上传医保平台。</p>
          ) : (
            <table className="grid" data-testid="queue-items">
              <thead>
                <tr>
                  <th>业务</th>
                  <th>住院号</th>
                  <th>状态</th>
                  <th>尝试</th>
                  <th>最近错误</th>
                  <th>操作</th>
                </tr>
              </thead>
              <tbody>
                {queue.items.map((i) => (
                  <tr key={i.id} data-state={i.state}>
                    <td>
                      {INFNO_TEXT[i.infno] ?? i.infno}（{i.infno}）
                    </td>
                    <td>{i.visit ?? '—'}</td>
                    <td>{(i.state === 'dead' && i.deadReason && DEAD_REASON_TEXT[i.deadReason]) || (QUEUE_STATE_TEXT[i.state] ?? i.state)}</td>
                    <td className="num">
                      {i.attempts}
                      {i.reversals ? `（冲正 ${i.reversals} 次）` : ''}
                    </td>
                    <td>
                      {i.lastError ?? ''}
                      {i.state === 'pending' && i.nextAttemptAt ? `（下次 ${new Date(i.nextAttemptAt).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })}）` : ''}
                    </td>
                    <td>
                      {(i.state === 'dead' || i.state === 'pending') && (
                        <button type="button" className="secondary" onClick={() => void apply(() => kiosk.queue.retry({ id: i.id }))}>
                          重试
                        </button>
                      )}
                      {i.state === 'dead' && i.deadReason !== 'output-invalid' && (
                        <button type="button" className="secondary" onClick={() => setCancelling(i.id)}>
                          取消
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {cancelling && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return;
            const id = cancelling;
            setCancelling(null);
            setReason('');
            void apply(() => kiosk.queue.cancel({ id, reason: reason.trim() }));
          }}
        >
          <label>
            取消原因
            <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} />
          </label>
          <button type="submit">确认取消</button>
          <button type="button" className="secondary" onClick={() => setCancelling(null)}>
            返回
          </button>
        </form>
      )}
      {act.error && <ErrorNotice error={act.error} onDismiss={act.clear} />}
    </section>
  );
}

function formatAge(s: number): string {
  if (s < 60) return `${Math.round(s)} 秒`;
  if (s < 3600) return `${Math.round(s / 60)} 分钟`;
  return `${(s / 3600).toFixed(1)} 小时`;
}
