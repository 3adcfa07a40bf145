import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The admission-diagnosis code list (ICD-10) and its search. Bundled: a curated subset of common admission
 * diagnoses (data/icd10.tsv); a hospital points config his.diagnosesFile at its full 医保版 list in the same
 * format: one `code<TAB>name` per line, `#` comments.
 */
export interface DiagnosisEntry {
  code: string;
  name: string;
}

export const BUNDLED_DIAGNOSES = join(import.meta.dirname, 'data', 'icd10.tsv');

/** A code as people type it: upper case, no dot, no spaces ("j18.9" → "J189"). */
const normCode = (s: string) => s.toUpperCase().replace(/[.\s]/g, '');
const ICD_CODE = /^[A-Z]\d{2}(\.[0-9A-Z]{1,6})?(x\d{3})?$/i;

export class DiagnosisList {
  private readonly entries: readonly (DiagnosisEntry & { key: string })[];
  private readonly byCode: Map<string, DiagnosisEntry>;

  constructor(entries: readonly DiagnosisEntry[]) {
    this.entries = entries.map((e) => ({ ...e, key: normCode(e.code) }));
    this.byCode = new Map(entries.map((e) => [e.code.toUpperCase(), e]));
  }

  static load(path: string = BUNDLED_DIAGNOSES): DiagnosisList {
    const entries: DiagnosisEntry[] = [];
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [code, name, ...rest] = line.split('\t');
      if (!code || !name || rest.length > 0 || !ICD_CODE.test(code.trim())) throw new Error(`diagnoses file ${path}: line ${i + 1} is not "code<TAB>name"`);
      entries.push({ code: code.trim(), name: name.trim() });
    });
    if (entries.length === 0) throw new Error(`diagnoses file ${path}: no entries`);
    return new DiagnosisList(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  get(code: string): DiagnosisEntry | null {
    return this.byCode.get(code.trim().toUpperCase()) ?? null;
  }

  /**
   * Search by code or name. Ranked: exact code, code prefix, name prefix, then every space-separated term
   * contained in the name or code ("肺炎", "j18", "2型 肾"). Ties keep the list's order (code order).
   */
  search(q: string, limit: number): DiagnosisEntry[] {
    const query = q.trim();
    if (query === '') return this.entries.slice(0, limit).map(strip);
    const code = normCode(query);
    const terms = query.toUpperCase().split(/\s+/).filter(Boolean);
    const scored: { e: DiagnosisEntry; rank: number; i: number }[] = [];
    this.entries.forEach((e, i) => {
      let rank: number | null = null;
      if (e.key === code) rank = 0;
      else if (code.length > 0 && e.key.startsWith(code)) rank = 1;
      else if (e.name.startsWith(query)) rank = 2;
      else if (terms.every((t) => e.name.includes(t) || e.key.includes(normCode(t)))) rank = 3;
      if (rank !== null) scored.push({ e, rank, i });
    });
    scored.sort((a, b) => a.rank - b.rank || a.i - b.i);
    return scored.slice(0, limit).map((s) => strip(s.e));
  }
}

const strip = (e: DiagnosisEntry): DiagnosisEntry => ({ code: e.code, name: e.name });
