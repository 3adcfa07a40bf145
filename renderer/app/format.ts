/**
 * Display formatting. Money arrives as integer fen and is shown in yuan with two decimals; the arithmetic
 * stays in integers so 0.1 + 0.2 never reaches a patient's screen.
 */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/** "1,234.56 元" */
export const yuanText = (fen: number) => `${formatYuan(fen)} 元`;

/**
 * Parses what staff type in a yuan field ("1200", "1,200.5", "0.05") into fen; null when it is not an amount.
 * Never goes through floating point.
 */
export function parseYuan(text: string): number | null {
  const s = text.trim().replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(cents);
}

/** A deposit amount typed in yuan, in fen: 0 unless it is an amount above zero and within DepositInput's ¥1,000,000. */
export function depositFenOf(text: string): number {
  const fen = parseYuan(text);
  return fen !== null && fen > 0 && fen <= 100_000_000 ? fen : 0;
}

/** Today in China time (the platform's and the accounts' calendar), YYYY-MM-DD. */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** This browser's now as China wall time, yyyy-MM-dd HH:mm:ss: only where the terminal's own time is not known. */
export function chinaNowOfBrowser(now = new Date()): string {
  const iso = new Date(now.getTime() + 8 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export const GENDER_TEXT: Record<string, string> = { '1': '男', '2': '女', '9': '未说明' };

/**
 * The terminal's day, which is not necessarily the browser's (the demo and tests shift the terminal's
 * clock): the status's own day, else the day of its last platform exchange, else this machine's.
 */
export function terminalDay(status: { today?: string; platform: { checkedAt: string | null } }): string {
  if (status.today) return status.today;
  const at = status.platform.checkedAt ? new Date(status.platform.checkedAt) : null;
  return at && !Number.isNaN(at.getTime()) ? todayInChina(at) : todayInChina();
}

/** "2026-11-20" (or "2026-11-20 08:30:02") → "2026年11月20日": dates on screens are written the Chinese way. */
export function chineseDate(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day;
}

/** "2026-11-20 08:30:02" → "2026年11月20日 08:30". */
export function chineseDateTime(dateTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/.exec(dateTime);
  return m ? `${chineseDate(m[1]!)} ${m[2]}` : chineseDate(dateTime);
}
