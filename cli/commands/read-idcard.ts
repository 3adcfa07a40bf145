import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { IdCard } from '../../drivers/idcard/id-card.ts';
import { IdCardError } from '../../drivers/idcard/idcard-errors.ts';
import { isIdCardBaudRate, PROBE_RATES } from '../../drivers/idcard/commands.ts';
import { readIdCardOnPort } from '../../drivers/idcard/open-idcard-reader.ts';
import { DEFAULT_WAIT_MS } from '../../drivers/idcard/read-idcard.ts';
import { UsageError, parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';

const usage = `kiosk read-idcard --serial <path> [--json] [--baud <rate>] [--wait-ms <ms>] [--new-address]

Reads one resident ID card (居民身份证, 外国人永久居留身份证 or 港澳台居民居住证) on an ID card reader as
idcard-link.md §6 says, and prints it: how a technician tests a reader, and how a reader or emulator built
elsewhere is checked against the protocol (docs/readers.md).

  --serial <path>    serial port of the reader (/dev/ttyUSB0, /dev/ttyS0, /dev/pts/N of a virtual reader …)
  --json             print exactly one JSON object: the card (exit 0) or {"error":{"code","message"}} (exit 1)
  --baud <rate>      probe only this rate (115200, 57600, 38400, 19200 or 9600); default: all five
  --wait-ms <ms>     how long to wait for a card to be placed (default ${DEFAULT_WAIT_MS})
  --new-address      also read the 追加住址 (30 03) and report it as newAddress

Fingerprints are never read. The photo is printed as the reader sends it (photoWlt, base64 of the 1024 WLT
bytes): only a licensed decoder makes a picture of it. Without --json the name and ID number are masked.`;

export const readIdCardCommand: CliCommand = {
  name: 'read-idcard',
  summary: '读身份证 — read the ID card on a serial ID card reader and print it',
  usage,
  async run(argv) {
    const { values } = parseCliArgs(argv, {
      serial: { type: 'string' },
      json: { type: 'boolean' },
      baud: { type: 'string' },
      'wait-ms': { type: 'string' },
      'new-address': { type: 'boolean' },
    });
    if (!values.serial) throw new UsageError('give --serial <path>');
    const baud = values.baud === undefined ? undefined : Number(values.baud);
    if (baud !== undefined && !isIdCardBaudRate(baud)) throw new UsageError(`--baud must be one of ${PROBE_RATES.join(', ')}`);
    const waitMs = values['wait-ms'] === undefined ? DEFAULT_WAIT_MS : Number(values['wait-ms']);
    if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > 600_000) throw new UsageError('--wait-ms must be 0..600000');

    const started = performance.now();
    try {
      const card = await readIdCardOnPort(values.serial, {
        today: localToday(),
        waitMs,
        ...(baud === undefined ? {} : { baud }),
        newAddress: values['new-address'] === true,
        onWaitingForCard: values.json ? undefined : () => console.error('请放置身份证…'),
      });
      if (values.json) console.log(JSON.stringify(card));
      else printCard(card, performance.now() - started);
      return 0;
    } catch (err) {
      const error = err instanceof IdCardError ? err : new IdCardError('LINK_ERROR', undefined, { cause: err });
      if (values.json) console.log(JSON.stringify({ error: { code: error.code, message: error.message } }));
      else console.error(`读身份证失败 [${error.code}] ${error.message}`);
      if (process.env.KIOSK_DEBUG && error.cause) console.error(error.cause);
      return 1;
    }
  },
};

/** The machine's local date: a card is valid on its end date and expired the day after (§11). */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const KINDS: Record<IdCard['cardType'], string> = { resident: '居民身份证', foreigner: '外国人永久居留身份证', hmt: '港澳台居民居住证' };

function printCard(card: IdCard, ms: number): void {
  const rows: [string, string][] = [
    ['证件', KINDS[card.cardType]],
    ['姓名', maskName(card.name)],
    ['性别', card.sex.word ?? `代码 ${card.sex.code}`],
  ];
  if (card.nation) rows.push(['民族', card.nation.word ?? `代码 ${card.nation.code}`]);
  rows.push(['出生', card.birthDate], ['证件号码', maskCertNo(card.idNumber)]);
  if (card.issuer) rows.push(['签发机关', card.issuer]);
  rows.push(['有效期限', `${card.validFrom} 至 ${card.validTo ?? '长期'}${card.expired ? '（已过期）' : ''}`]);
  if (card.cardType === 'foreigner') rows.push(['国籍', card.nationality]);
  if (card.cardType === 'hmt') rows.push(['通行证号码', maskCertNo(card.passNumber)]);
  rows.push(['照片', `WLT ${Buffer.from(card.photoWlt, 'base64').length} 字节（需授权解码库）`], ['读卡用时', `${ms.toFixed(0)} ms`]);
  for (const [k, v] of rows) console.log(`${k.padEnd(6, '　')} ${v}`);
}
