import { randomBytes } from 'node:crypto';
import { bytesEqual } from '../../base/bytes.ts';
import { parseCommandApdu, type ParsedCommand } from '../iso7816/apdu.ts';
import { SSSE_AID } from '../sscard/layout.ts';
import { SW, sw, type VirtualIcc } from './apdu-responses.ts';
import type { CardDefinition } from './card-definition.ts';
import { TEST_MASTER_KEY, psamCryptogram } from './psam-crypto.ts';

const AUTH_TRIES = 15;
/** The fixture cards' PIN (the issuing default a patient is asked to change), and the tries before it blocks. */
export const VIRTUAL_CARD_PIN = '123456';
const PIN_TRIES = 3;
const FID = { MF: 0x3f00, EF05: 0xef05, EF06: 0xef06 } as const;

/**
 * A 社保卡 chip as reader-link.md §5 presents it: SELECT SSSE (9000 or 61xx with FCI), SELECT EF by FID,
 * READ RECORD in the current EF or by SFI with exact Le (6Cxx otherwise), 6A83 / 6A82 / 6982, and on
 * third-generation cards GET CHALLENGE + EXTERNAL AUTHENTICATE with the PSAM stand-in cryptogram.
 */
export class VirtualSocialSecurityCard implements VirtualIcc {
  private df: 'MF' | 'SSSE' = 'MF';
  private ef: 'EF05' | 'EF06' | null = null;
  private challenge: Uint8Array | null = null;
  private authenticated = false;
  /** Data behind a 61xx, fetched by the GET RESPONSE that must come next. */
  private responsePending: Uint8Array | null = null;
  private authTriesLeft = AUTH_TRIES;
  /** Kept across power cycles, as on a real chip: only a 社保卡 service point resets it. */
  private pinTriesLeft = PIN_TRIES;

  constructor(
    readonly definition: CardDefinition,
    private readonly masterKey: Uint8Array = TEST_MASTER_KEY,
    private readonly random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
  ) {}

  get atr(): Uint8Array {
    return this.definition.atr;
  }

  reset(): void {
    this.df = 'MF';
    this.ef = null;
    this.challenge = null;
    this.authenticated = false;
    this.responsePending = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    const parsed = parseCommandApdu(bytes);
    if (!parsed.ok) return sw(SW.WRONG_LENGTH);
    const c = parsed.value;
    if (c.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
    const pending = this.responsePending;
    this.responsePending = null;
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0xb2:
        return this.readRecord(c);
      case 0x84:
        return this.getChallenge(c);
      case 0x82:
        return this.externalAuthenticate(c);
      case 0x20:
        return this.verifyPin(c);
      case 0xc0:
        if (!pending) return sw(SW.CONDITIONS_NOT_SATISFIED);
        if (c.case !== 2 || c.le !== pending.length) {
          this.responsePending = pending;
          return sw(0x6c00 | pending.length);
        }
        return sw(SW.OK, pending);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  /** VERIFY 00 20 00 00 03 <BCD PIN> in SSSE (sscard.md §1.4): 9000, 63Cx with x tries left, 6983 once blocked. */
  private verifyPin(c: ParsedCommand): Uint8Array {
    if (this.df !== 'SSSE') return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (c.p1 !== 0x00 || c.p2 !== 0x00) return sw(SW.WRONG_P1P2);
    if (c.data.length !== 3) return sw(SW.WRONG_LENGTH);
    if (this.pinTriesLeft === 0) return sw(SW.AUTH_BLOCKED);
    const typed = [...c.data].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (typed === VIRTUAL_CARD_PIN) {
      this.pinTriesLeft = PIN_TRIES;
      return sw(SW.OK);
    }
    this.pinTriesLeft--;
    return sw(0x63c0 | this.pinTriesLeft);
  }

  private select(c: ParsedCommand): Uint8Array {
    const app = this.definition.ssse;
    if (c.p1 === 0x04) {
      if (!app || !bytesEqual(c.data, SSSE_AID)) return sw(SW.FILE_NOT_FOUND);
      this.df = 'SSSE';
      this.ef = null;
      if (app.fci) {
        this.responsePending = app.fci;
        return sw(0x6100 | app.fci.length);
      }
      return sw(SW.OK);
    }
    if (c.p1 === 0x00 || c.p1 === 0x02) {
      if (c.data.length !== 2) return sw(SW.WRONG_LENGTH);
      const fid = ((c.data[0] as number) << 8) | (c.data[1] as number);
      if (fid === FID.MF && c.p1 === 0x00) {
        this.df = 'MF';
        this.ef = null;
        return sw(SW.OK);
      }
      if (this.df === 'SSSE' && (fid === FID.EF05 || fid === FID.EF06)) {
        this.ef = fid === FID.EF05 ? 'EF05' : 'EF06';
        return sw(SW.OK);
      }
      return sw(SW.FILE_NOT_FOUND);
    }
    return sw(SW.WRONG_P1P2);
  }

  private readRecord(c: ParsedCommand): Uint8Array {
    if ((c.p2 & 0x07) !== 0x04) return sw(SW.WRONG_P1P2);
    if (c.case !== 2) return sw(SW.WRONG_LENGTH);
    const sfi = c.p2 >> 3;
    let file: 'EF05' | 'EF06';
    if (sfi === 0) {
      if (!this.ef) return sw(SW.NO_CURRENT_EF);
      file = this.ef;
    } else {
      if (this.df !== 'SSSE' || (sfi !== 5 && sfi !== 6)) return sw(SW.FILE_NOT_FOUND);
      file = sfi === 5 ? 'EF05' : 'EF06';
      this.ef = file;
    }
    const app = this.definition.ssse;
    if (!app) return sw(SW.FILE_NOT_FOUND);
    const record = app.files[file].get(c.p1);
    if (!record) return sw(SW.RECORD_NOT_FOUND);
    if (app.protectedRecords.has(`${file}/${c.p1}`) && !this.authenticated) return sw(SW.SECURITY_NOT_SATISFIED);
    if (c.le !== record.length) return sw(0x6c00 | record.length);
    return sw(SW.OK, record);
  }

  private getChallenge(c: ParsedCommand): Uint8Array {
    if (c.case !== 2 || c.le !== 8) return sw(SW.WRONG_LENGTH);
    this.challenge = this.random(8);
    return sw(SW.OK, this.challenge);
  }

  private externalAuthenticate(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x0a) return sw(SW.WRONG_P1P2);
    if (c.data.length !== 16) return sw(SW.WRONG_LENGTH);
    if (this.authTriesLeft === 0) return sw(SW.AUTH_BLOCKED);
    const challenge = this.challenge;
    this.challenge = null; // good for one attempt
    const cardSn = this.definition.ssse?.files.EF05.get(1)?.subarray(2);
    if (!challenge || !cardSn) return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (bytesEqual(c.data, psamCryptogram(this.masterKey, cardSn, challenge))) {
      this.authenticated = true;
      this.authTriesLeft = AUTH_TRIES;
      return sw(SW.OK);
    }
    this.authTriesLeft--;
    return this.authTriesLeft === 0 ? sw(SW.AUTH_BLOCKED) : sw(0x63c0 | this.authTriesLeft);
  }
}
