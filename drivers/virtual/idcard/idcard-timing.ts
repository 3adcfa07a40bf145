/**
 * The emulator's timing model (idcard-link.md §10.1), also the floor of a read: each exchange costs its
 * command's and its answer's line time (10 bits a byte) and the reader's processing time of §5.
 */
export const PROCESSING_MS: Readonly<Record<string, number>> = {
  '10FF': 100,
  '11FF': 5,
  '12FF': 5,
  '2001': 25,
  '2002': 35,
  '3001': 420,
  '3010': 640,
  '3003': 60,
  '60': 5,
};

export function processingMs(cmd: number, para: number): number {
  const key = cmd === 0x60 ? '60' : `${cmd.toString(16).toUpperCase().padStart(2, '0')}${para.toString(16).toUpperCase().padStart(2, '0')}`;
  return PROCESSING_MS[key] ?? 5;
}

export function lineMs(bytes: number, baudRate: number): number {
  return (bytes * 10 * 1000) / baudRate;
}

export interface IdCardFloorRow {
  exchange: string;
  hostBytes: number;
  readerBytes: number;
  wireMs: number;
  processingMs: number;
  totalMs: number;
}

/** The floor of a full read at a rate: the probe `11 FF`, then `20 01`, `20 02` and `30 01` (§10.1). */
export function idCardReadFloor(baudRate = 115200): { rows: IdCardFloorRow[]; wireMs: number; processingMs: number; totalMs: number } {
  const rows = (
    [
      ['11 FF', 0x11, 0xff, 11],
      ['20 01', 0x20, 0x01, 15],
      ['20 02', 0x20, 0x02, 19],
      ['30 01', 0x30, 0x01, 1295],
    ] as const
  ).map(([exchange, cmd, para, readerBytes]) => {
    const wireMs = lineMs(10 + readerBytes, baudRate);
    const p = processingMs(cmd, para);
    return { exchange, hostBytes: 10, readerBytes, wireMs, processingMs: p, totalMs: wireMs + p };
  });
  const sum = (f: (r: IdCardFloorRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return { rows, wireMs: sum((r) => r.wireMs), processingMs: sum((r) => r.processingMs), totalMs: sum((r) => r.totalMs) };
}
