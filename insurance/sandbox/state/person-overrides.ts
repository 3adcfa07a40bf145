import type { CardStatus } from '../../codes/card-status.ts';
import type { StateDb } from './database.ts';

/** Person facts changed through the admin endpoint: card status, insurance status, the PIN at settlement. */
export class PersonOverrides {
  private readonly setCard;
  private readonly getCard;
  private readonly setInsurance;
  private readonly getInsurance;
  private readonly askPin;
  private readonly askNoPin;
  private readonly asksPin;

  constructor(db: StateDb) {
    this.setCard = db.prepare('INSERT INTO card_status_overrides (card_sn, status) VALUES (?, ?) ON CONFLICT(card_sn) DO UPDATE SET status = excluded.status');
    this.getCard = db.prepare<[string], { status: CardStatus }>('SELECT status FROM card_status_overrides WHERE card_sn = ?');
    this.setInsurance = db.prepare(
      'INSERT INTO insurance_status_overrides (psn_no, insutype, psn_insu_stas) VALUES (?, ?, ?) ON CONFLICT(psn_no, insutype) DO UPDATE SET psn_insu_stas = excluded.psn_insu_stas',
    );
    this.askPin = db.prepare('INSERT OR IGNORE INTO pin_at_settlement (psn_no) VALUES (?)');
    this.askNoPin = db.prepare('DELETE FROM pin_at_settlement WHERE psn_no = ?');
    this.asksPin = db.prepare<[string], { psn_no: string }>('SELECT psn_no FROM pin_at_settlement WHERE psn_no = ?');
    this.getInsurance = db.prepare<[string, string], { psn_insu_stas: string }>(
      'SELECT psn_insu_stas FROM insurance_status_overrides WHERE psn_no = ? AND insutype = ?',
    );
  }

  cardStatus(cardSn: string): CardStatus | undefined {
    return this.getCard.get(cardSn)?.status;
  }

  setCardStatus(cardSn: string, status: CardStatus): void {
    this.setCard.run(cardSn, status);
  }

  insuranceStatus(psnNo: string, insutype: string): string | undefined {
    return this.getInsurance.get(psnNo, insutype)?.psn_insu_stas;
  }

  setInsuranceStatus(psnNo: string, insutype: string, stas: string): void {
    this.setInsurance.run(psnNo, insutype, stas);
  }

  /** Does the platform ask for this person's card PIN before 2304? */
  pinAtSettlement(psnNo: string): boolean {
    return this.asksPin.get(psnNo) !== undefined;
  }

  setPinAtSettlement(psnNo: string, ask: boolean): void {
    (ask ? this.askPin : this.askNoPin).run(psnNo);
  }
}
