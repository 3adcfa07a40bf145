/**
 * Masking of personal data for logs and kiosk screens (pure; used by services, the logger and the renderer).
 * 张三 → 张*, 张三丰 → 张*丰, 阿卜杜·买买提 → 阿*****提; 320200197503141014 → 3202**********1014.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** ID numbers, social-security numbers, card numbers: first 4 and last 4 kept when long enough. */
export function maskCertNo(no: string): string {
  const s = no.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  if (s.length <= 8) return `${s.slice(0, 2)}${'*'.repeat(s.length - 4)}${s.slice(-2)}`;
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** A phone number: 138****1234. */
export function maskPhone(no: string): string {
  const s = no.trim();
  return s.length >= 7 ? `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}` : '*'.repeat(s.length);
}
