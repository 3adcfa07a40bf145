/**
 * A national (or sandbox) code table: code → Chinese label. Pure data, shared by the client and the sandbox
 * platform; screens show the label, the wire carries the code.
 */
export type CodeTable = Readonly<Record<string, string>>;

/** The Chinese label of a code, or the code itself in brackets when the table does not know it. */
export function labelOf(table: CodeTable, code: string): string {
  return table[code] ?? `〔${code}〕`;
}
