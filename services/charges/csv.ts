/**
 * A small RFC 4180 CSV reader for HIS exports. Quoted fields may hold commas, doubled quotes and line breaks;
 * records keep the 1-based line number where they start, so an import error can name the line the operator
 * sees in a text editor. A byte-order mark is dropped. Malformed quoting is reported, never guessed at.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; error: string };

export function parseCsv(text: string, options: { delimiter?: string } = {}): CsvResult {
  const delimiter = options.delimiter ?? ',';
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (only the delimiter or a line end may follow its close)
  const endField = () => {
    fields.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    // A record of one empty field is a blank line: skipped.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        wasQuoted = true;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '' || wasQuoted) return { ok: false, line, error: '引号位置不正确（引号只能出现在字段开头）' };
      quoted = true;
      i++;
      continue;
    }
    if (c === delimiter) {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      if (c === '\r' && src[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    if (wasQuoted) return { ok: false, line, error: '引号结束后出现多余字符' };
    field += c;
    i++;
  }
  if (quoted) return { ok: false, line: recordLine, error: '引号未闭合' };
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return { ok: true, records };
}
