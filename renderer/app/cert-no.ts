/**
 * 居民身份证号码 (GB 11643-1999): 17 digits and a check character. Checked before anything is sent, so a
 * mistyped digit gets a clear message at the desk instead of a platform refusal.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function isValidIdNumber(no: string): boolean {
  const s = no.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11] === s[17];
}

/** Why a certificate number cannot be used, in Chinese; null when it looks right. */
export function certNoProblem(certType: '01' | '02' | '03', no: string): string | null {
  const s = no.trim();
  if (!s) return '请输入证件号码。';
  if (certType === '02') {
    if (!/^\d{17}[\dXx]$/.test(s)) return '居民身份证号码应为 18 位（最后一位可为 X）。';
    if (!isValidIdNumber(s)) return '居民身份证号码校验位不符，请核对后重新输入。';
  }
  if (certType === '03' && !/^[0-9A-Z]{9}$/.test(s.toUpperCase())) return '社会保障卡卡号应为 9 位数字或大写字母。';
  return null;
}
