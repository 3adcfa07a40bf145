import { openSerialTransport, type SerialLineSettings } from '../transport/serial-transport.ts';
import type { IdCard } from './id-card.ts';
import { IdCardError } from './idcard-errors.ts';
import { IdCardLink } from './idcard-link.ts';
import { probe, readIdCard, type ReadIdCardOptions } from './read-idcard.ts';

/** idcard-link.md §2: 8 data bits, no parity, 1 stop bit, no flow control; 115200 until the probe says else. */
export const IDCARD_LINE: SerialLineSettings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false };

/** Opens the ID card reader's serial port (RS-232, USB-serial bridge or pty). PORT_ERROR when it cannot. */
export async function openIdCardLink(path: string): Promise<IdCardLink> {
  try {
    return new IdCardLink(await openSerialTransport(path, IDCARD_LINE));
  } catch (err) {
    throw new IdCardError('PORT_ERROR', path, { cause: err });
  }
}

/** One whole read on a port: open, §6, close. What `kiosk read-idcard` and the terminal's ID card service do. */
export async function readIdCardOnPort(path: string, options: ReadIdCardOptions): Promise<IdCard> {
  const link = await openIdCardLink(path);
  try {
    return await readIdCard(link, options);
  } finally {
    await link.close().catch(() => undefined);
  }
}

/**
 * Is a working reader on the port? Open, the §2 rate probe (`11 FF`: any valid answer, SW3 90 = the SAM can
 * work), close. No card is looked for. The terminal's health check for the staff status bar.
 */
export async function checkIdCardReaderOnPort(path: string): Promise<void> {
  const link = await openIdCardLink(path);
  try {
    await probe(link);
  } finally {
    await link.close().catch(() => undefined);
  }
}
