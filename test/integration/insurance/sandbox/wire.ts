import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A minimal national-interface caller for the sandbox's own tests. Deliberately not insurance/client: the
 * sandbox is tested on its own wire behaviour, byte by byte.
 */

export interface HospitalId {
  code: string;
  name: string;
  admvs: string;
}

export const DEMO: HospitalId = { code: 'H32020000001', name: '无锡市第一人民医院', admvs: '320200' };
export const NOT_CROSS: HospitalId = { code: 'H32020000002', name: '无锡市惠山区示范人民医院', admvs: '320200' };
export const NOT_NETWORKED: HospitalId = { code: 'H32020000003', name: '无锡市梁溪区示范社区卫生服务中心', admvs: '320200' };

export interface Reply {
  http: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  msgid: string;
}

let counter = 0;

/** A fresh msgid for a hospital: code(12) + a 14-digit time part + 4 digits, unique in this test process. */
export function newMsgid(code: string): string {
  counter++;
  return `${code}20261120${String(Math.floor(counter / 10_000)).padStart(6, '0')}${String(counter % 10_000).padStart(4, '0')}`;
}

export interface SendOptions {
  insuplc?: string;
  msgid?: string;
  signNo?: string;
  headers?: Record<string, string>;
  path?: string;
  envelope?: Record<string, unknown>;
}

export class Wire {
  signNo = '';

  constructor(
    readonly url: string,
    readonly hospital: HospitalId = DEMO,
  ) {}

  envelope(infno: string, input: unknown, o: SendOptions = {}): Record<string, unknown> {
    return {
      infno,
      msgid: o.msgid ?? newMsgid(this.hospital.code),
      mdtrtarea_admvs: this.hospital.admvs,
      insuplc_admdvs: o.insuplc ?? '',
      recer_sys_code: 'MBS',
      dev_no: '',
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '2',
      opter: 'ZZJ01',
      opter_name: '自助机01',
      inf_time: '2026-11-20 10:00:00',
      fixmedins_code: this.hospital.code,
      fixmedins_name: this.hospital.name,
      sign_no: o.signNo ?? this.signNo,
      input,
      ...o.envelope,
    };
  }

  async post(body: string, o: { headers?: Record<string, string>; path?: string } = {}): Promise<{ http: number; text: string }> {
    const res = await fetch(`${this.url}${o.path ?? '/fsi/api/rsfComIfsService/callService'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8', ...o.headers },
      body,
    });
    return { http: res.status, text: await res.text() };
  }

  async send(infno: string, input: unknown, o: SendOptions = {}): Promise<Reply> {
    const env = this.envelope(infno, input, o);
    const r = await this.post(JSON.stringify(env), { ...(o.headers ? { headers: o.headers } : {}), ...(o.path ? { path: o.path } : {}) });
    let body: unknown = null;
    try {
      body = JSON.parse(r.text);
    } catch {
      body = null;
    }
    return { ...r, body, msgid: env.msgid as string };
  }

  async signIn(): Promise<string> {
    const r = await this.send('9001', { signIn: { opter_no: 'ZZJ01', mac: '00-11-22-33-44-55', ip: '127.0.0.1' } });
    if (r.body?.infcode !== 0) throw new Error(`9001 failed: ${r.text}`);
    this.signNo = r.body.output.signinoutb.sign_no;
    return this.signNo;
  }
}

// ── The demo world's people (read from the fixtures the sandbox loads) ─────────────────────────────────

interface PeopleCard {
  cardNo: string;
  cardSn: string;
  status: string;
  current: boolean;
  expiryDate: string;
}
interface FixturePerson {
  key: string;
  psn_no: string;
  ecToken: string;
  insurances: { insutype: string; insuplc_admdvs?: string }[];
}

const root = (p: string) => fileURLToPath(new URL(`../../../../${p}`, import.meta.url));
const people = JSON.parse(readFileSync(root('fixtures/people.json'), 'utf8')) as {
  people: { key: string; certno: string; insuredArea: string; cards: PeopleCard[] }[];
};
const world = JSON.parse(readFileSync(root('insurance/sandbox/fixtures/default.json'), 'utf8')) as { persons: FixturePerson[] };

export interface DemoPerson {
  key: string;
  psnNo: string;
  certno: string;
  insuplc: string;
  insutype: string;
  ecToken: string;
  card: PeopleCard;
  oldCard: PeopleCard | undefined;
}

export function person(key: string): DemoPerson {
  const p = people.people.find((x) => x.key === key);
  const f = world.persons.find((x) => x.key === key);
  if (!p || !f) throw new Error(`no demo person ${key}`);
  return {
    key,
    psnNo: f.psn_no,
    certno: p.certno,
    insuplc: f.insurances[0]?.insuplc_admdvs ?? p.insuredArea,
    insutype: f.insurances[0]!.insutype,
    ecToken: f.ecToken,
    card: p.cards.find((c) => c.current)!,
    oldCard: p.cards.find((c) => !c.current),
  };
}

export type Cert = { type: '01' | '02' | '03'; no: string; cardSn?: string };

export const byCard = (p: DemoPerson, card = p.card): Cert => ({ type: '03', no: `${card.cardNo}|BUSICARDINFO`, cardSn: card.cardSn });
export const byId = (p: DemoPerson): Cert => ({ type: '02', no: p.certno });
