import { createSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect } from 'node:net';

/** Where the hospital's syslog collector listens (config `audit.syslog`). */
export interface SyslogTarget {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
}

/** RFC 5424 severities used here. */
export type SyslogSeverity = 'crit' | 'warning' | 'notice' | 'info';
const SEVERITY: Record<SyslogSeverity, number> = { crit: 2, warning: 4, notice: 5, info: 6 };
/** Facility 13 = log audit (RFC 5424 table 1). */
const FACILITY_LOG_AUDIT = 13;

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ELEMENT] MSG`. Structured data
 * carries the fields (`[kiosk@32473 seq="…" hash="…"]`; 32473 is the example enterprise number of RFC 5612,
 * to be replaced by the hospital's own); the free text is ASCII so any collector shows it.
 */
export function formatSyslog(m: { severity: SyslogSeverity; msgid: string; fields: Record<string, string | number | boolean>; text: string; at: Date; host?: string; pid?: number }): string {
  const pri = FACILITY_LOG_AUDIT * 8 + SEVERITY[m.severity];
  const sd = Object.entries(m.fields)
    .map(([k, v]) => `${k}="${String(v).replace(/["\\\]]/g, (c) => `\\${c}`)}"`)
    .join(' ');
  return `<${pri}>1 ${m.at.toISOString()} ${m.host ?? hostname()} kiosk ${m.pid ?? process.pid} ${m.msgid} [kiosk@32473 ${sd}] ${m.text}`;
}

/**
 * Sends one message. UDP: one datagram. TCP: octet-counting framing (RFC 6587 §3.4.1), one connection per
 * message (these are a few a day). Resolves when sent; rejects (never throws synchronously) on failure or
 * after `timeoutMs`, so a dead collector costs the caller one logged warning.
 */
export function sendSyslog(target: SyslogTarget, line: string, timeoutMs = 5_000): Promise<void> {
  const payload = Buffer.from(line, 'utf8');
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`syslog ${target.protocol}://${target.host}:${target.port}: no answer within ${timeoutMs} ms`)), timeoutMs);
    let finished = false;
    let close = () => undefined as void;
    const done = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      close();
      if (err) reject(err);
      else resolve();
    };
    if (target.protocol === 'udp') {
      const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
      close = () => socket.close();
      socket.on('error', (e) => done(e));
      socket.send(payload, target.port, target.host, (e) => done(e ?? undefined));
    } else {
      const socket = connect({ host: target.host, port: target.port });
      close = () => socket.destroy();
      socket.on('error', (e) => done(e));
      socket.on('connect', () => socket.end(Buffer.concat([Buffer.from(`${payload.length} `, 'ascii'), payload]), () => done()));
    }
  });
}
