import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../base/clock.ts';
import { openStore, type Store, type StoreOptions } from '../../../db/store.ts';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: string | number = '2026-03-02T01:00:00Z') {
    this.t = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: string | number): void {
    this.t = typeof at === 'number' ? at : Date.parse(at);
  }
}

export const HOSPITAL = 'H32020000001';

/** A store in a fresh temporary directory (a real file: WAL and fsync as in production). */
export function tempStore(options: StoreOptions = {}): { store: Store; dir: string; path: string; clock: ManualClock; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-db-'));
  const path = join(dir, 'kiosk.sqlite');
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const store = openStore(path, { fixmedinsCode: HOSPITAL, ...options, clock });
  return {
    store,
    dir,
    path,
    clock,
    cleanup() {
      try {
        store.close();
      } catch {
        /* already closed */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sampleAdmission = {
  psnNo: '32020000000000000001',
  insutype: '310',
  insuplcAdmdvs: '320200',
  checkId: null,
  medType: '21',
  admissionType: 'normal' as const,
  deptCode: 'A03',
  deptName: '心血管内科',
  ward: '5病区',
  bed: '12',
  atddrNo: 'D001',
  chfpdrName: '李医生',
  diagCode: 'I10.x00',
  diagName: '原发性高血压',
  begntime: '2026-03-02 09:00:00',
  direct: true,
};
