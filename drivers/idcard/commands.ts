/**
 * The commands this driver sends (idcard-link.md §5) and their answer timeouts (§6), counted from the end
 * of the command's write. `30 10` (text + photo + fingerprints) is deliberately absent: the terminal does not
 * verify fingerprints, so under 个人信息保护法 data minimisation it never asks for them (§6).
 */
export interface IdCardCommand {
  cmd: number;
  para: number;
  label: string;
  timeoutMs: number;
}

export const PROBE_TIMEOUT_MS = 300;

export const COMMANDS = {
  samStatus: { cmd: 0x11, para: 0xff, label: 'SAM状态检测 11 FF', timeoutMs: 1000 },
  samId: { cmd: 0x12, para: 0xff, label: '读SAM管理信息 12 FF', timeoutMs: 1000 },
  find: { cmd: 0x20, para: 0x01, label: '寻找证/卡 20 01', timeoutMs: 1000 },
  select: { cmd: 0x20, para: 0x02, label: '选取证/卡 20 02', timeoutMs: 1000 },
  readBase: { cmd: 0x30, para: 0x01, label: '读固定信息 30 01', timeoutMs: 4000 },
  readNewAddress: { cmd: 0x30, para: 0x03, label: '读追加住址 30 03', timeoutMs: 4000 },
} as const satisfies Record<string, IdCardCommand>;

/** Line rates in the order of the probe (§2): the default, the commonest other, then the rest. */
export const PROBE_RATES = [115200, 9600, 57600, 38400, 19200] as const;
export type IdCardBaudRate = (typeof PROBE_RATES)[number];

export function isIdCardBaudRate(n: number): n is IdCardBaudRate {
  return (PROBE_RATES as readonly number[]).includes(n);
}
