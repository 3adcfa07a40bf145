import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MED_CHRGITM_TYPE } from '../../insurance/codes/med-chrgitm-type.ts';
import { CHRGITM_LV } from '../../insurance/codes/chrgitm-lv.ts';

/**
 * The terminal's copy of the medical-insurance catalogue (医保目录: drugs, services, materials), the data a
 * hospital downloads with 1301–1319 and keeps locally. The front desk uses it to price manual entries, to
 * name and classify HIS lines, and for the 费用清单; the split of the bill is always the platform's (2301).
 *
 * The bundled file (catalogue.json beside this module) is the sandbox platform's catalogue as the terminal
 * would have downloaded it; test/unit/services/charges/catalogue.test.ts keeps the two in step.
 */
export const CatalogueFileEntry = z.object({
  code: z.string().min(1).max(50), // med_list_codg
  name: z.string().min(1).max(200),
  chrgitmType: z.string().refine((c) => c in MED_CHRGITM_TYPE, '未知的医疗收费项目类别'),
  level: z.string().refine((c) => c in CHRGITM_LV, '未知的收费项目等级'),
  pricFen: z.number().int().nonnegative().safe(),
  unit: z.string().min(1).max(20),
  spec: z.string().max(100).optional(),
});
export type CatalogueFileEntry = z.infer<typeof CatalogueFileEntry>;

export const CatalogueFile = z.object({
  about: z.string().optional(),
  version: z.string().min(1),
  entries: z.array(CatalogueFileEntry).min(1),
});

export interface CatalogueItem {
  code: string;
  name: string;
  chrgitmType: string;
  level: string;
  pricFen: number;
  unit: string;
}

export class Catalogue {
  readonly version: string;
  private readonly byCode = new Map<string, CatalogueItem>();
  private readonly items: CatalogueItem[];

  constructor(file: z.infer<typeof CatalogueFile>) {
    this.version = file.version;
    this.items = file.entries.map((e) => ({ code: e.code, name: e.name, chrgitmType: e.chrgitmType, level: e.level, pricFen: e.pricFen, unit: e.unit }));
    for (const item of this.items) {
      if (this.byCode.has(item.code)) throw new Error(`catalogue ${file.version}: duplicate code ${item.code}`);
      this.byCode.set(item.code, item);
    }
  }

  static fromFile(path: string): Catalogue {
    const parsed = CatalogueFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`catalogue ${path} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new Catalogue(parsed.data);
  }

  get(code: string): CatalogueItem | null {
    return this.byCode.get(code) ?? null;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Staff search: an exact code first, then codes starting with the query, then names containing it.
   * Case-insensitive for codes; every whitespace-separated word must match.
   */
  search(q: string, limit: number): CatalogueItem[] {
    const words = q.trim().toUpperCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.items.slice(0, limit);
    const scored: Array<{ item: CatalogueItem; score: number }> = [];
    for (const item of this.items) {
      const code = item.code.toUpperCase();
      const name = item.name.toUpperCase();
      let score = 0;
      for (const w of words) {
        if (code === w) score += 100;
        else if (code.startsWith(w)) score += 50;
        else if (name.includes(w)) score += name.startsWith(w) ? 20 : 10;
        else {
          score = -1;
          break;
        }
      }
      if (score > 0) scored.push({ item, score });
    }
    scored.sort((a, b) => b.score - a.score || a.item.code.localeCompare(b.item.code));
    return scored.slice(0, limit).map((s) => s.item);
  }
}

// fileURLToPath, not URL.pathname: the latter leaves %-escapes and a leading slash before C:\ on Windows.
export const BUNDLED_CATALOGUE_PATH = fileURLToPath(new URL('./catalogue.json', import.meta.url));

let bundled: Catalogue | null = null;
/** The catalogue shipped with the terminal (loaded once). */
export function bundledCatalogue(): Catalogue {
  bundled ??= Catalogue.fromFile(BUNDLED_CATALOGUE_PATH);
  return bundled;
}
