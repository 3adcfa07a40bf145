/**
 * Later transactions of a visit need values only earlier ones produce: every inpatient transaction after 2401
 * carries its mdtrt_id, 2305 the setl_id of 2304. Offline, the service enqueues them before those exist, with
 * a placeholder string in their place; the relay resolves it from the store when the item is sent (the admission
 * row, written when 2401 succeeded). A placeholder is a whole JSON string value, never part of one.
 */
export const PLACEHOLDER = {
  mdtrtId: '{{mdtrt_id}}',
  setlId: '{{setl_id}}',
} as const;

export type PlaceholderName = 'mdtrt_id' | 'setl_id';

const TOKEN = /^\{\{(mdtrt_id|setl_id)\}\}$/;

export function placeholdersIn(value: unknown, found = new Set<PlaceholderName>()): Set<PlaceholderName> {
  if (typeof value === 'string') {
    const m = TOKEN.exec(value);
    if (m) found.add(m[1] as PlaceholderName);
  } else if (Array.isArray(value)) {
    for (const v of value) placeholdersIn(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) placeholdersIn(v, found);
  }
  return found;
}

export type Resolution = { ok: true; value: unknown } | { ok: false; missing: PlaceholderName[] };

/** Replaces every placeholder with its value; reports the ones without a value instead of sending "{{…}}". */
export function resolvePlaceholders(value: unknown, values: Partial<Record<PlaceholderName, string | null>>): Resolution {
  const missing = [...placeholdersIn(value)].filter((name) => !values[name]);
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, value: replace(value, values) };
}

function replace(value: unknown, values: Partial<Record<PlaceholderName, string | null>>): unknown {
  if (typeof value === 'string') {
    const m = TOKEN.exec(value);
    return m ? values[m[1] as PlaceholderName] : value;
  }
  if (Array.isArray(value)) return value.map((v) => replace(v, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, values)]));
  }
  return value;
}

/** The first psn_no found in a transaction input (2401 mdtrtinfo.psn_no, 2301 feedetail[0].psn_no, data.psn_no…). */
export function findPsnNo(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findPsnNo(v);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    if (typeof rec.psn_no === 'string' && rec.psn_no) return rec.psn_no;
    for (const v of Object.values(rec)) {
      const found = findPsnNo(v);
      if (found) return found;
    }
  }
  return null;
}
