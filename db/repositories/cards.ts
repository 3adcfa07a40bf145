import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export interface CardSeen {
  id: number;
  cardNo: string;
  cardSn: string | null;
  certno: string;
  psnName: string;
  regionCode: string | null;
  generation: number | null;
  expiryDate: string | null;
  psnNo: string | null;
  seenAt: number;
}

export type CardSeenInput = Omit<CardSeen, 'id' | 'seenAt' | 'psnNo'> & { psnNo?: string | null };

interface Row {
  id: number;
  card_no: string;
  card_sn: string | null;
  certno: string;
  psn_name: string;
  region_code: string | null;
  generation: number | null;
  expiry_date: string | null;
  psn_no: string | null;
  seen_at: number;
}

/** Cards read at this terminal: what the chip said, when. Lets an offline read find the cached person. */
export class CardRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO cards_seen (card_no, card_sn, certno, psn_name, region_code, generation, expiry_date, psn_no, seen_at)
         VALUES (@card_no, @card_sn, @certno, @psn_name, @region_code, @generation, @expiry_date, @psn_no, @seen_at)`,
      ),
      latest: db.prepare<[string], Row>('SELECT * FROM cards_seen WHERE card_no = ? ORDER BY seen_at DESC, id DESC LIMIT 1'),
      link: db.prepare('UPDATE cards_seen SET psn_no = ? WHERE card_no = ? AND psn_no IS NULL'),
    };
  }

  record(tx: Tx, card: CardSeenInput): CardSeen {
    assertInTransaction(tx);
    const info = this.s.insert.run({
      card_no: card.cardNo,
      card_sn: card.cardSn,
      certno: card.certno,
      psn_name: card.psnName,
      region_code: card.regionCode,
      generation: card.generation,
      expiry_date: card.expiryDate,
      psn_no: card.psnNo ?? null,
      seen_at: tx.now.getTime(),
    });
    return { ...card, psnNo: card.psnNo ?? null, id: Number(info.lastInsertRowid), seenAt: tx.now.getTime() };
  }

  /** Once 1101 has matched the card to a psn_no, remember it for offline reads. */
  linkPerson(tx: Tx, cardNo: string, psnNo: string): void {
    assertInTransaction(tx);
    this.s.link.run(psnNo, cardNo);
  }

  latest(cardNo: string): CardSeen | null {
    const r = this.s.latest.get(cardNo);
    return r
      ? {
          id: r.id,
          cardNo: r.card_no,
          cardSn: r.card_sn,
          certno: r.certno,
          psnName: r.psn_name,
          regionCode: r.region_code,
          generation: r.generation,
          expiryDate: r.expiry_date,
          psnNo: r.psn_no,
          seenAt: r.seen_at,
        }
      : null;
  }
}
