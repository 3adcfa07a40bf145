/**
 * Keys of the reversal gate. A visit is a person's stay: before 2401 answers, it is known by the hospital's
 * 住院号 (ipt_no); afterwards by the platform's mdtrt_id. Callers who want one key for the whole stay pass
 * their own (e.g. the local admission id) as `visitKey` on every call.
 */
export function visitKeyOfIptNo(psnNo: string, iptNo: string): string {
  return `${psnNo}#ipt:${iptNo}`;
}

export function visitKeyOfMdtrt(psnNo: string, mdtrtId: string): string {
  return `${psnNo}#mdtrt:${mdtrtId}`;
}
