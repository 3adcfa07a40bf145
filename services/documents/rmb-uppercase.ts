/**
 * 人民币大写 of an amount in fen, as written on receipts: 1234.50 → 壹仟贰佰叁拾肆元伍角整,
 * 1002.05 → 壹仟零贰元零伍分, 0 → 零元整. Receipts carry it so a figure cannot be altered by a stroke.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL = ['', '拾', '佰', '仟'];
const BIG = ['', '万', '亿', '万亿'];

export function rmbUppercase(fenValue: number): string {
  if (!Number.isSafeInteger(fenValue)) throw new RangeError(`not an integer fen amount: ${fenValue}`);
  const negative = fenValue < 0;
  const abs = Math.abs(fenValue);
  const yuanPart = Math.floor(abs / 100);
  const jiao = Math.floor(abs / 10) % 10;
  const fen = abs % 10;
  let out = yuanPart === 0 ? '' : `${integerWords(yuanPart)}元`;
  if (jiao === 0 && fen === 0) out = (out || '零元') + '整';
  else {
    if (jiao > 0) out += `${DIGITS[jiao]}角`;
    else if (yuanPart > 0) out += '零';
    if (fen > 0) out += `${DIGITS[fen]}分`;
    else out += '整';
  }
  return negative ? `负${out}` : out;
}

function integerWords(n: number): string {
  const groups: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 10_000)) groups.push(x % 10_000);
  let out = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]!;
    if (group === 0) {
      pendingZero = out !== '';
      continue;
    }
    if (out !== '' && (pendingZero || group < 1000)) out += '零';
    pendingZero = false;
    out += groupWords(group) + BIG[g];
  }
  return out;
}

function groupWords(n: number): string {
  let out = '';
  let zero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + SMALL[pos];
  }
  return out;
}
