import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A tiny platform on 127.0.0.1 for the client's transport semantics: it answers envelopes with scripted
 * handlers and can misbehave on purpose (latency, HTTP status, reset before reading, drop after commit, raw
 * bodies, a body cut short). It keeps what it committed so tests can count settlements. It is not the
 * sandbox (insurance/sandbox): no policy, just enough state to tell applied from not applied.
 */

export interface Envelope {
  infno: string;
  msgid: string;
  insuplc_admdvs: string;
  sign_no: string;
  opter: string;
  opter_type: string;
  inf_time: string;
  input: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Answer {
  infcode: number | string;
  err_msg?: string;
  output?: unknown;
}

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'reset' }
  | { kind: 'drop-after-commit' }
  | { kind: 'raw'; body: string; contentType?: string }
  | { kind: 'truncate' };

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  envelope: Envelope;
}

export interface Settlement {
  msgid: string;
  psn_no: string;
  mdtrt_id: string;
  setl_id: string;
  reversed: boolean;
}

type Handler = (envelope: Envelope, platform: FakePlatform) => Answer;

export class FakePlatform {
  readonly received: ReceivedRequest[] = [];
  readonly settlements = new Map<string, Settlement>();
  readonly admissions = new Map<string, { msgid: string; psn_no: string; mdtrt_id: string; reversed: boolean }>();
  readonly reversals: { omsgid: string; oinfno: string; msgid: string }[] = [];
  readonly handlers = new Map<string, Handler>();
  private readonly faults = new Map<string, { fault: Fault; remaining: number }[]>();
  private readonly sockets = new Set<Socket>();
  private server: http.Server | null = null;
  private signCounter = 0;
  private idCounter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fsi/api/rsfComIfsService/callService`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `count` requests of `infno` ('*' = any) misbehave as `fault`. */
  addFault(infno: string, fault: Fault, count = 1): void {
    const list = this.faults.get(infno) ?? [];
    list.push({ fault, remaining: count });
    this.faults.set(infno, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requestsOf(infno: string): ReceivedRequest[] {
    return this.received.filter((r) => r.envelope.infno === infno);
  }

  activeSettlements(mdtrtId?: string): Settlement[] {
    return [...this.settlements.values()].filter((s) => !s.reversed && (mdtrtId === undefined || s.mdtrt_id === mdtrtId));
  }

  private takeFault(infno: string): Fault | null {
    for (const key of [infno, '*']) {
      const list = this.faults.get(key);
      const first = list?.[0];
      if (list && first) {
        first.remaining -= 1;
        if (first.remaining <= 0) list.shift();
        return first.fault;
      }
    }
    return null;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let envelope: Envelope;
      try {
        envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
      } catch {
        res.writeHead(400).end();
        return;
      }
      this.received.push({ headers: req.headers, envelope });
      const fault = this.takeFault(envelope.infno);
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'text/html' }).end(fault.body ?? '<html>error</html>');
        return;
      }
      if (fault?.kind === 'raw') {
        res.writeHead(200, { 'content-type': fault.contentType ?? 'application/json;charset=utf-8' }).end(fault.body);
        return;
      }
      const answer = this.answer(envelope);
      if (fault?.kind === 'drop-after-commit') {
        req.socket.destroy();
        return;
      }
      const body = JSON.stringify({ ...answer, inf_refmsgid: `320200${envelope.inf_time.replace(/\D/g, '')}0000000001`, refmsg_time: '', respond_time: '' });
      const send = (): void => {
        if (fault?.kind === 'truncate') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
          res.write(body.slice(0, Math.floor(body.length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(body);
      };
      if (fault?.kind === 'latency') setTimeout(send, fault.ms);
      else send();
    });
  }

  private answer(envelope: Envelope): Answer {
    const handler = this.handlers.get(envelope.infno);
    if (handler) return handler(envelope, this);
    const data = (envelope.input['data'] ?? {}) as Record<string, string>;
    switch (envelope.infno) {
      case '9001':
        this.signCounter += 1;
        return { infcode: 0, output: { signinoutb: { sign_time: envelope.inf_time, sign_no: `SN${String(this.signCounter).padStart(6, '0')}` } } };
      case '9002':
        return { infcode: 0, output: { signoutoutb: { sign_time: envelope.inf_time } } };
      case '2401': {
        const info = envelope.input['mdtrtinfo'] as Record<string, string>;
        const mdtrt_id = `MD${++this.idCounter}`;
        this.admissions.set(envelope.msgid, { msgid: envelope.msgid, psn_no: info['psn_no'] ?? '', mdtrt_id, reversed: false });
        return { infcode: 0, output: { result: { mdtrt_id } } };
      }
      case '2303':
        return { infcode: 0, output: settlementOutput(data, null) };
      case '2304': {
        // Idempotent per msgid, like the sandbox.
        const existing = this.settlements.get(envelope.msgid);
        const setl = existing ?? { msgid: envelope.msgid, psn_no: data['psn_no'] ?? '', mdtrt_id: data['mdtrt_id'] ?? '', setl_id: `S${++this.idCounter}`, reversed: false };
        this.settlements.set(envelope.msgid, setl);
        return { infcode: 0, output: settlementOutput(data, setl.setl_id) };
      }
      case '2601': {
        this.reversals.push({ omsgid: data['omsgid'] ?? '', oinfno: data['oinfno'] ?? '', msgid: envelope.msgid });
        const s = this.settlements.get(data['omsgid'] ?? '');
        if (s) s.reversed = true;
        const a = this.admissions.get(data['omsgid'] ?? '');
        if (a) a.reversed = true;
        return { infcode: 0, output: null };
      }
      default:
        return { infcode: 0, output: {} };
    }
  }
}

export function settlementOutput(data: Record<string, string>, setlId: string | null): unknown {
  return {
    setlinfo: {
      mdtrt_id: data['mdtrt_id'],
      setl_id: setlId,
      psn_no: data['psn_no'],
      medfee_sumamt: data['medfee_sumamt'],
      fund_pay_sumamt: 60.5,
      acct_pay: '0',
      psn_cash_pay: '39.50',
    },
    setldetail: [{ fund_pay_type: '310100', fund_payamt: 60.5 }],
  };
}
