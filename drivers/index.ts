/**
 * drivers/: card readers (CCID over serial or HID, reader-link.md), the 社保卡 application, QR scanners and
 * the virtual reader. What the services build on is exported here; docs/readers.md describes it.
 */
export type { SocialSecurityCard } from './sscard/social-security-card.ts';
export { formatIReadCardBas } from './sscard/social-security-card.ts';
export type { CardRecords } from './sscard/card-records.ts';
export { readSocialSecurityCard, type CardRead } from './sscard/read-card.ts';

export { createReaderManager, type ReaderManager, type ReaderManagerOptions, type ReaderManagerEvents, type ReaderInfo } from './reader-manager/reader-manager.ts';
export { CardReader, openSerialCardReader, openHidCardReader, type LinkKind } from './reader-manager/card-reader.ts';
export { toKioskError, kioskError } from './kiosk-errors.ts';

export { DEFAULT_READER_HID, type HidDevice, type HidDeviceInfo, type HidDeviceOpener } from './transport/hid-device.ts';
export { loadNodeHidOpener, HidUnavailableError } from './transport/node-hid-opener.ts';

export { HidPosScanner, type HidPosScannerEvents } from './scanner/hid-pos-scanner.ts';
export { parseScannedCode } from './scanner/scanned-code.ts';

export { startVirtualReader, type StartVirtualReaderOptions, type VirtualReader, type VirtualReaderStatus } from './virtual/start-virtual-reader.ts';
export { VirtualReaderControl, VirtualReaderControlError, type VirtualCardSummary } from './virtual/control-client.ts';
export { loadCardCatalog, DEFAULT_FIXTURE_FILES, type CardCatalog } from './virtual/fixtures.ts';
