import type { StateDb } from './database.ts';

export interface StoredMessage {
  msgid: string;
  infno: string;
  /** null = a tombstone: reversed by 2601 before it arrived. */
  input_hash: string | null;
  psn_no: string | null;
  response: string;
  took_effect: number;
  reversed_by: string | null;
  received_at: string;
}

/** The msgid ledger: exactly-once for every mutating transaction. */
export class Messages {
  private readonly getStmt;
  private readonly insertStmt;
  private readonly reverseStmt;

  constructor(db: StateDb) {
    this.getStmt = db.prepare<[string], StoredMessage>('SELECT * FROM messages WHERE msgid = ?');
    this.insertStmt = db.prepare(
      'INSERT INTO messages (msgid, infno, input_hash, psn_no, response, took_effect, reversed_by, received_at) VALUES (@msgid, @infno, @input_hash, @psn_no, @response, @took_effect, @reversed_by, @received_at)',
    );
    this.reverseStmt = db.prepare('UPDATE messages SET reversed_by = ? WHERE msgid = ?');
  }

  get(msgid: string): StoredMessage | undefined {
    return this.getStmt.get(msgid);
  }

  insert(m: StoredMessage): void {
    this.insertStmt.run(m);
  }

  markReversed(msgid: string, byMsgid: string): void {
    this.reverseStmt.run(byMsgid, msgid);
  }
}
