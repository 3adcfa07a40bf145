import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * ISO 7816-3 Answer To Reset, parsed as pyscard's ATR.py does (TS, T0, TA/TB/TC/TD chains, historical bytes,
 * TCK when a protocol other than T=0 is announced). Pure; every input yields a value or a reason.
 */
export interface Atr {
  raw: Uint8Array;
  convention: 'direct' | 'inverse';
  /** Protocols announced by TD bytes; [0] when there is no TD1 (T=0 only). */
  protocols: number[];
  /** Interface bytes by index i (1-based): TAi, TBi, TCi, TDi when present. */
  interfaceBytes: { ta?: number; tb?: number; tc?: number; td?: number }[];
  /** Clock rate conversion Fi and baud rate adjustment Di from TA1 (372 and 1 without TA1). */
  fi: number;
  di: number;
  historical: Uint8Array;
  tck: number | null;
}

export const MAX_ATR_LENGTH = 33;
const FI = [372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0];
const DI = [0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0];

export function parseAtr(raw: Uint8Array): Decoded<Atr> {
  if (raw.length < 2) return rejected(`ATR of ${raw.length} bytes`);
  if (raw.length > MAX_ATR_LENGTH) return rejected(`ATR of ${raw.length} bytes is longer than ${MAX_ATR_LENGTH}`);
  const ts = raw[0] as number;
  if (ts !== 0x3b && ts !== 0x3f) return rejected(`bad TS 0x${ts.toString(16)}`);
  const t0 = raw[1] as number;
  const k = t0 & 0x0f;
  let y = t0 >> 4;
  let at = 2;
  const interfaceBytes: Atr['interfaceBytes'] = [];
  const protocols: number[] = [];
  while (true) {
    const group: Atr['interfaceBytes'][number] = {};
    for (const [bit, key] of [
      [1, 'ta'],
      [2, 'tb'],
      [4, 'tc'],
      [8, 'td'],
    ] as const) {
      if (y & bit) {
        if (at >= raw.length) return rejected(`ATR truncated in interface bytes (group ${interfaceBytes.length + 1})`);
        group[key] = raw[at++] as number;
      }
    }
    interfaceBytes.push(group);
    if (group.td === undefined) break;
    protocols.push(group.td & 0x0f);
    y = group.td >> 4;
  }
  if (protocols.length === 0) protocols.push(0);
  if (at + k > raw.length) return rejected(`ATR truncated: ${k} historical bytes announced, ${raw.length - at} present`);
  const historical = raw.slice(at, at + k);
  at += k;
  let tck: number | null = null;
  if (protocols.some((p) => p !== 0)) {
    if (at >= raw.length) return rejected('ATR lacks TCK');
    tck = raw[at++] as number;
    let x = 0;
    for (let i = 1; i < at; i++) x ^= raw[i] as number;
    if (x !== 0) return rejected('bad TCK');
  }
  if (at !== raw.length) return rejected(`${raw.length - at} unexpected bytes after the ATR`);
  const ta1 = interfaceBytes[0]?.ta;
  const fi = ta1 === undefined ? 372 : (FI[ta1 >> 4] as number);
  const di = ta1 === undefined ? 1 : (DI[ta1 & 0x0f] as number);
  if (fi === 0 || di === 0) return rejected(`RFU Fi/Di in TA1 0x${(ta1 as number).toString(16)}`);
  return decoded({ raw, convention: ts === 0x3b ? 'direct' : 'inverse', protocols, interfaceBytes, fi, di, historical, tck });
}
