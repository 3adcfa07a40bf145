import { maskCertNo, maskName } from '../../contract/mask.ts';
import { UsageError, parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { toKioskError, kioskError } from '../../drivers/kiosk-errors.ts';
import { openHidCardReader, openSerialCardReader, type CardReader } from '../../drivers/reader-manager/card-reader.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { DEFAULT_READER_HID } from '../../drivers/transport/hid-device.ts';
import { loadNodeHidOpener } from '../../drivers/transport/node-hid-opener.ts';

const usage = `kiosk read-card --serial <path> [--json] [--wait <seconds>] [--show-personal]
kiosk read-card --hid [--vid 0x1209] [--pid 0x0001] [--json] [--wait <seconds>]

Reads the 社保卡 in a reader that follows reader-link.md and prints it: how a technician tests a reader, and how a
reader built elsewhere is checked against the spec (docs/readers.md).

  --serial <path>        serial port of the reader (/dev/ttyUSB0, /dev/pts/N of the virtual reader …)
  --hid                  the first USB-HID reader with --vid/--pid (default 0x1209/0x0001)
  --json                 print the card as JSON; on failure {"error":{"code","message"}} (exit code 1)
  --wait <seconds>       wait for a card to be inserted (default: read what is in the reader now)
  --show-personal        print name and ID number unmasked (the JSON output is never masked)`;

export const readCardCommand: CliCommand = {
  name: 'read-card',
  summary: '读社保卡 — read the card in a serial or USB-HID reader and print it',
  usage,
  async run(argv) {
    const { values } = parseCliArgs(argv, {
      serial: { type: 'string' },
      hid: { type: 'boolean' },
      vid: { type: 'string' },
      pid: { type: 'string' },
      json: { type: 'boolean' },
      wait: { type: 'string' },
      'show-personal': { type: 'boolean' },
    });
    if (Boolean(values.serial) === Boolean(values.hid)) throw new UsageError('give exactly one of --serial <path> or --hid');
    const waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 3600) throw new UsageError('--wait must be 0..3600 seconds');
    const vid = parseId(values.vid, DEFAULT_READER_HID.vendorId, '--vid');
    const pid = parseId(values.pid, DEFAULT_READER_HID.productId, '--pid');

    let reader: CardReader | null = null;
    try {
      reader = values.serial ? await openSerialCardReader(values.serial) : await openFirstHidReader(vid, pid);
      if (waitSeconds > 0) await waitForCard(reader, waitSeconds * 1000);
      const started = performance.now();
      const { card } = await reader.read();
      const ms = performance.now() - started;
      if (values.json) console.log(JSON.stringify(card, null, 2));
      else printCard(card, reader.name, ms, values['show-personal'] === true);
      return 0;
    } catch (err) {
      const error = toKioskError(err);
      if (values.json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, guidance: error.guidance } }));
      else {
        console.error(`读卡失败 [${error.code}] ${error.message}`);
        for (const g of error.guidance) console.error(`  · ${g}`);
        if (process.env.KIOSK_DEBUG && error.cause) console.error(error.cause);
      }
      return 1;
    } finally {
      await reader?.close().catch(() => undefined);
    }
  },
};

function parseId(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new UsageError(`${flag} must be a 16-bit number (e.g. 0x1209)`);
  return n;
}

async function openFirstHidReader(vid: number, pid: number): Promise<CardReader> {
  const opener = await loadNodeHidOpener();
  const [first] = await opener.list(vid, pid);
  if (!first) throw kioskError('READER_NOT_FOUND', undefined, `未找到USB-HID读卡器（VID ${hex(vid)} PID ${hex(pid)}）`);
  return openHidCardReader(opener, first.path);
}

async function waitForCard(reader: CardReader, timeoutMs: number): Promise<void> {
  await reader.enableNotifications().catch(() => false);
  const deadline = Date.now() + timeoutMs;
  while (!(await reader.cardPresent())) {
    if (Date.now() >= deadline) throw kioskError('CARD_ABSENT', undefined, `等待${Math.round(timeoutMs / 1000)}秒仍未插卡`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      const off = reader.onSlotChange(done);
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }
}

function printCard(card: SocialSecurityCard, readerName: string, ms: number, unmasked: boolean): void {
  const name = unmasked ? card.name : maskName(card.name);
  const rows: [string, string][] = [
    ['读卡器', readerName],
    ['卡片', `${card.generation === 3 ? '第三代' : '第二代'}社保卡（规范版本 ${card.specVersion}）`],
    ['姓名', name + (card.nameExt ? '（姓名扩展）' : '')],
    ['社会保障号码', unmasked ? card.ssn : maskCertNo(card.ssn)],
    ['性别', card.sex === '1' ? '男' : '女'],
    ['民族', card.nation],
    ['出生日期', card.birthDate],
    ['出生地', card.birthplace],
    ['卡号', unmasked ? card.cardNo : maskCertNo(card.cardNo)],
    ['卡识别码', card.cardSn],
    ['发卡地区', card.regionCode],
    ['发卡日期', card.issueDate],
    ['有效期至', card.expiryDate],
    ['复位信息', card.atrHistorical],
    ['读卡用时', `${ms.toFixed(0)} ms`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(8, '　')} ${v}`);
  if (unmasked) console.log(`iReadCardBas ${card.iReadCardBas}`);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
