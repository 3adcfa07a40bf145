import { kioskContract, kioskEvents, type CallContext, type KioskEventName, type KioskEventPayloads, type KioskServices } from './api.ts';
import { accessOf, allows, type Access, type Principal } from './access.ts';
import { channelOf, type MethodSpec } from './define.ts';
import { KioskError } from './errors.ts';
import type { Reply } from './wire.ts';

type Handler = (args: unknown, ctx: CallContext) => Promise<unknown>;
type EventListener = (name: KioskEventName, payload: unknown) => void;

export interface DispatcherOptions {
  /** Check results against the contract too (on in tests and development: a service bug surfaces as INTERNAL). */
  validateResults?: boolean;
  /**
   * Where defects and store failures go, with their cause (a redacting logger): every INTERNAL reply and every
   * STORE_* reply is reported here; the caller only sees the Chinese message.
   */
  onInternalError?: (channel: string, err: unknown) => void;
  /** Recognises failures below the services that have a better code than INTERNAL (e.g. a damaged store). */
  explainError?: (err: unknown) => KioskError | null;
  /** A request refused by the role check (logged: a renderer asking for what its operator may not do). */
  onRefused?: (channel: string, code: string) => void;
}

/**
 * The one server-side entry point for every transport: look up the channel, check that whoever the terminal
 * serves now may call it (contract/access.ts: the signed-in operator's roles, `patient` on a self-service
 * kiosk, nothing on a locked desk), parse the arguments with the contract's schema, call the service, and turn
 * any outcome into a Reply. Nothing unauthorised or unparsed reaches a service.
 */
export class Dispatcher {
  private readonly handlers = new Map<string, { spec: MethodSpec; access: Access | undefined; handler: Handler }>();
  private readonly listeners = new Set<EventListener>();

  /** `principal`: who the terminal serves at the moment of each call (services/operator/operators.ts). */
  constructor(
    services: KioskServices,
    private readonly principal: () => Principal,
    private readonly options: DispatcherOptions = {},
  ) {
    for (const [group, methods] of Object.entries(kioskContract)) {
      const impl = (services as unknown as Record<string, Record<string, Handler>>)[group];
      for (const [name, spec] of Object.entries(methods as Record<string, MethodSpec>)) {
        const fn = impl?.[name];
        if (typeof fn !== 'function') throw new Error(`service ${group}.${name} is not implemented`);
        this.handlers.set(channelOf(group, name), { spec, access: accessOf(group, name), handler: fn.bind(impl) });
      }
    }
  }

  /** Every channel name, for transports that register one handler per method (Electron IPC). */
  get channels(): string[] {
    return [...this.handlers.keys()];
  }

  async call(channel: string, rawArgs: unknown, ctx: CallContext): Promise<Reply> {
    const entry = typeof channel === 'string' ? this.handlers.get(channel) : undefined;
    if (!entry) return fail(new KioskError('UNKNOWN_METHOD', '终端收到无法识别的请求。', ['请重新启动终端；如仍出现，请联系信息科。']));
    const refusal = refusalFor(allows(entry.access, this.principal()));
    if (refusal) {
      this.options.onRefused?.(channel, refusal.code);
      return fail(refusal);
    }
    const parsed = entry.spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(参数)').slice(0, 3).join('、');
      return fail(new KioskError('INVALID_ARGUMENT', `请求参数不正确：${where}`, ['请检查输入后重试。']));
    }
    try {
      const value = await entry.handler(parsed.data, ctx);
      if (this.options.validateResults) {
        const checked = entry.spec.result.safeParse(value);
        if (!checked.success) throw new Error(`result of ${channel} violates the contract: ${checked.error.message}`);
        return { ok: true, value: checked.data };
      }
      return { ok: true, value };
    } catch (err) {
      const known = this.options.explainError?.(err) ?? (err instanceof KioskError ? err : null);
      if (known && known.code !== 'INTERNAL' && !known.code.startsWith('STORE_')) return fail(known);
      // A service may wrap a defect in its own INTERNAL KioskError (the platform client does): logged all the same.
      this.options.onInternalError?.(channel, err);
      return fail(known ?? new KioskError('INTERNAL', '终端内部错误，操作未完成。', ['请重试；如仍出现，请联系信息科。']));
    }
  }

  /** Services emit events here; the payload is checked against the contract before any transport sees it. */
  emit<E extends KioskEventName>(name: E, payload: KioskEventPayloads[E]): void {
    const parsed = kioskEvents[name].safeParse(payload);
    if (!parsed.success) {
      this.options.onInternalError?.(`event ${name}`, parsed.error);
      return;
    }
    for (const l of this.listeners) l(name, parsed.data);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function refusalFor(verdict: ReturnType<typeof allows>): KioskError | null {
  switch (verdict) {
    case 'ok':
      return null;
    case 'not-signed-in':
      return new KioskError('NOT_SIGNED_IN', '操作员尚未登录。', ['请输入工号和密码登录后再办理。']);
    case 'locked':
      return new KioskError('DESK_LOCKED', '屏幕已锁定。', ['请输入本人密码解锁，或由其他操作员登录。']);
    case 'forbidden':
      return new KioskError('FORBIDDEN', '当前登录的账号无权办理此项业务。', ['请由有相应权限的操作员登录后办理；如需调整权限，请联系信息科。']);
  }
}

function fail(err: KioskError): Reply {
  return { ok: false, error: err.toDto() };
}
