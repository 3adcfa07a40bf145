import type { TerminalStatus } from '../../contract/dto/status.ts';
import type { ServiceContext } from '../context.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Operators } from '../operator/operators.ts';
import type { Session } from '../session/session.ts';
import type { Connectivity } from './connectivity.ts';

type StatusContext = Pick<ServiceContext, 'config' | 'clock' | 'store' | 'emit'>;

/**
 * The status bar: reader, platform online/offline (the relay's probe and every exchange of the client),
 * queue depth, operator. Pushed to the screens as a `status` event whenever one of them changes (coalesced,
 * so a burst of relay events is one update), and answered on request.
 */
export class StatusService {
  private timer: NodeJS.Timeout | null = null;
  private last = '';

  constructor(
    private readonly ctx: StatusContext,
    private readonly session: Session,
    private readonly connectivity: Connectivity,
    private readonly operators: Operators,
    /** The resident ID card reader, null when the terminal has none (services/idcard). */
    private readonly idCardReader: () => TerminalStatus['idCardReader'] = () => null,
  ) {}

  status(): TerminalStatus {
    const { config, store, clock } = this.ctx;
    const queue = store.outbox.status(clock.now());
    return {
      mode: config.mode,
      demo: config.demo,
      hospital: { code: config.hospital.code, name: config.hospital.name, level: config.hospital.level, help: config.hospital.help },
      terminalName: config.terminal.name,
      reader: this.session.readerStatus(),
      idCardReader: this.idCardReader(),
      platform: { online: this.connectivity.online, checkedAt: this.connectivity.checkedAt?.toISOString() ?? null },
      queue: { depth: queue.depth, deadLetters: queue.deadLetters, oldestAgeSeconds: queue.oldestAgeSeconds },
      store: storeHealth(this.connectivity),
      operator: this.operators.statusView(),
      idleTimeoutSeconds: config.idleTimeoutSeconds,
      // The terminal's own calendar day (China time): screens default their day lists to it, not the browser's.
      today: chinaTime(clock.now()).day,
      now: chinaTime(clock.now()).dateTime,
    };
  }

  /** Something the status bar shows may have changed: push it (at most every 100 ms, only when different). */
  changed = (): void => {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        const s = this.status();
        const key = JSON.stringify({ ...s, now: null, platform: { online: s.platform.online }, queue: { ...s.queue, oldestAgeSeconds: null } });
        if (key === this.last) return;
        this.last = key;
        this.ctx.emit('status', s);
      } catch {
        // the store is closing: nothing to show
      }
    }, 100);
    this.timer.unref?.();
  };

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Degraded while the relay's commits are refused; the reason stays in the log, the screen says what it means. */
function storeHealth(connectivity: Connectivity): NonNullable<TerminalStatus['store']> {
  const s = connectivity.store;
  return { degraded: s.degraded, since: s.since?.toISOString() ?? null, reason: s.degraded ? '本机存储暂时无法写入（磁盘空间或读写故障），上传暂停，恢复后自动继续' : null };
}
