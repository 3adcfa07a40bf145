import type { TerminalStatus } from '../../contract/dto/status.ts';
import { MODE_TITLES } from './labels.ts';

const READER_TEXT: Record<TerminalStatus['reader']['state'], string> = {
  none: '未连接读卡器',
  idle: '读卡器就绪',
  'card-present': '已插卡',
  reading: '正在读卡',
  error: '读卡器故障',
};

const ID_READER_TEXT: Record<NonNullable<TerminalStatus['idCardReader']>['state'], string> = {
  checking: '身份证阅读器检测中',
  ready: '身份证阅读器就绪',
  reading: '正在读身份证',
  error: '身份证阅读器不可用',
};

/** An unusable ID card reader in words, with what staff can do: 身份证阅读器没有应答：请检查… */
function idReaderFault(r: NonNullable<TerminalStatus['idCardReader']>): string {
  const what = r.message ?? ID_READER_TEXT.error;
  return r.guidance ? `${what}：${r.guidance}` : what;
}

/**
 * Always visible: reader, platform and queue, so staff see at a glance whether the terminal can work. A
 * patient at the kiosk sees none of the device or queue words: only the hospital and whether 医保 is reachable.
 */
export function StatusBar({ status }: { status: TerminalStatus }) {
  const q = status.queue;
  if (status.mode === 'self-service') {
    return (
      <header className="status-bar" role="status" aria-live="polite">
        <span className="status-title">
          {status.hospital.name} · {MODE_TITLES[status.mode]}
          {status.demo && <span className="badge demo">演示</span>}
        </span>
        {status.reader.state === 'error' || status.reader.state === 'none' ? (
          <span className="status-item warn" data-testid="reader-status">
            读卡器暂不可用，请扫码或输入身份证号
          </span>
        ) : null}
        <span className={`status-item ${status.platform.online ? 'ok' : 'warn'}`} data-testid="platform-status">
          {status.platform.online ? '医保平台在线' : '医保平台离线'}
        </span>
      </header>
    );
  }
  return (
    <header className="status-bar" role="status" aria-live="polite">
      <span className="status-title">
        {status.hospital.name} · {MODE_TITLES[status.mode]}
        {status.demo && <span className="badge demo">演示</span>}
      </span>
      <span className={`status-item ${status.reader.state === 'error' || status.reader.state === 'none' ? 'warn' : 'ok'}`} data-testid="reader-status">
        {READER_TEXT[status.reader.state]}
        {status.reader.name ? `（${status.reader.name}）` : ''}
      </span>
      {status.idCardReader && (
        <span className={`status-item ${status.idCardReader.state === 'error' ? 'warn' : status.idCardReader.state === 'checking' ? '' : 'ok'}`} data-testid="idcard-reader-status" data-state={status.idCardReader.state}>
          {status.idCardReader.state === 'error' ? idReaderFault(status.idCardReader) : ID_READER_TEXT[status.idCardReader.state]}
        </span>
      )}
      <span className={`status-item ${status.platform.online ? 'ok' : 'warn'}`} data-testid="platform-status">
        {status.platform.online ? '医保平台在线' : '医保平台离线'}
      </span>
      <span className={`status-item ${q.deadLetters > 0 ? 'warn' : 'ok'}`} data-testid="queue-status">
        待上传 {q.depth}
        {q.deadLetters > 0 ? ` · 失败 ${q.deadLetters}` : ''}
      </span>
      {status.store?.degraded && (
        <span className="status-item warn" data-testid="store-status" title={status.store.reason ?? undefined}>
          本机存储异常，上传暂停
        </span>
      )}
      {status.operator && <span className="status-item">操作员 {status.operator.name}</span>}
    </header>
  );
}
