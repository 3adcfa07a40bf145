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
const OPEN_BRACE = 0x7b;

/** The placeholder a string is, if it is one (only a string that starts with "{{" is matched against the tokens). */
function tokenOf(value: string): PlaceholderName | null {
  if (value.charCodeAt(0) !== OPEN_BRACE || value.charCodeAt(1) !== OPEN_BRACE) return null;
  const m = TOKEN.exec(value);
  return m ? (m[1] as PlaceholderName) : null;
}

export function placeholdersIn(value: unknown, found = new Set<PlaceholderName>()): Set<PlaceholderName> {
  if (typeof value === 'string') {
    const m = tokenOf(value);
    if (m) found.add(m);
  } else if (Array.isArray(value)) {
    for (const v of value) placeholdersIn(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) placeholdersIn(v, found);
  }
  return found;
}

export type Resolution = { ok: true; value: unknown } | { ok: false; missing: PlaceholderName[] };

/** A placeholder's value: from a record, or asked for by name (only for the names the input holds, once each). */
export type PlaceholderValues = Partial<Record<PlaceholderName, string | null>> | ((name: PlaceholderName) => string | null | undefined);

/**
 * Replaces every placeholder with its value; reports the ones without a value instead of sending "{{…}}". One walk
 * over the input (a 2301 batch is a few hundred fields): a function is asked once per name the input holds.
 */
export function resolvePlaceholders(value: unknown, values: PlaceholderValues): Resolution {
  const known = new Map<PlaceholderName, string | null>();
  const valueOf = (name: PlaceholderName): string | null => {
    if (!known.has(name)) known.set(name, (typeof values === 'function' ? values(name) : values[name]) || null);
    return known.get(name)!;
  };
  const resolved = replace(value, valueOf);
  const missing = [...known].filter(([, v]) => !v).map(([name]) => name);
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value: resolved };
}

export type JsonResolution = { ok: true; json: string } | { ok: false; missing: PlaceholderName[] };

const NAMES: readonly PlaceholderName[] = ['mdtrt_id', 'setl_id'];
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * The same resolution on an input's JSON text as the outbox keeps it (JSON.stringify's): each placeholder, a whole
 * JSON string `"{{…}}"`, is replaced by its value's JSON string, so the result is the text of what
 * `resolvePlaceholders` returns, without parsing the input, walking it and serialising it again for the request (the
 * relay does this for every item it sends). A quoted token that is an object key (followed by ":") or that starts at
 * an escaped quote (inside a longer string) is not a placeholder value: then null, and the caller resolves the
 * parsed input instead.
 */
export function resolvePlaceholdersInJson(json: string, values: PlaceholderValues): JsonResolution | null {
  if (!json.includes('"{{')) return { ok: true, json };
  // The names the text holds, in the order they first appear (the walk asks and reports them in that order).
  const present: Array<{ name: PlaceholderName; token: string; first: number }> = [];
  for (const name of NAMES) {
    const token = `"{{${name}}}"`;
    const first = json.indexOf(token);
    if (first === -1) continue;
    for (let at = first; at !== -1; at = json.indexOf(token, at + token.length)) {
      if (json.charCodeAt(at - 1) === BACKSLASH || json.charCodeAt(at + token.length) === COLON) return null;
    }
    present.push({ name, token, first });
  }
  present.sort((a, b) => a.first - b.first);
  let out = json;
  const missing: PlaceholderName[] = [];
  for (const { name, token } of present) {
    const value = (typeof values === 'function' ? values(name) : values[name]) || null;
    if (value === null) missing.push(name);
    else {
      const quoted = JSON.stringify(value);
      out = out.replaceAll(token, () => quoted); // a function: "$&" and the like in a value are not patterns
    }
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, json: out };
}

/** The value with its placeholders replaced; a part without any is returned as it is (not copied). */
function replace(value: unknown, valueOf: (name: PlaceholderName) => string | null): unknown {
  if (typeof value === 'string') {
    // Most strings are not a placeholder: the first two characters say so without the regex.
    const name = tokenOf(value);
    return name ? valueOf(name) : value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const r = replace(value[i], valueOf);
      if (r !== value[i]) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    let out: Record<string, unknown> | null = null;
    // for…in: no key array per object (inputs are plain objects: JSON or a codec's literals, nothing inherited).
    for (const k in rec) {
      const r = replace(rec[k], valueOf);
      if (r !== rec[k]) (out ??= { ...rec })[k] = r;
    }
    return out ?? value;
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
