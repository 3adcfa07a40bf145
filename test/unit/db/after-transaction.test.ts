import { afterEach, describe, expect, it } from 'vitest';
import { afterTransaction, type TransactionEnd } from '../../../db/commit.ts';
import { failingCommitSeam } from './failing-commit-seam.ts';
import { tempStore } from './helpers.ts';

/**
 * db/commit.ts afterTransaction: what must wait until a transaction is on disk (the relay's send of an item it
 * claimed in a service's transaction) hears how the outermost write transaction ended, and only then.
 */
/** A commit that fails the way a disk does, once. */
const seam = failingCommitSeam();

describe('afterTransaction', () => {
  let t: ReturnType<typeof tempStore> | null = null;
  afterEach(() => {
    t?.cleanup();
    t = null;
    seam.next = null;
  });

  const hasOperator = (no: string) => t!.store.db.prepare('SELECT 1 FROM operators WHERE opter_no = ?').get(no) !== undefined;

  it('hears "committed" once the COMMIT went through, with the rows in the file, before write returns', () => {
    t = tempStore();
    const { store } = t;
    const heard: Array<{ end: TransactionEnd; inTransaction: boolean; visible: boolean }> = [];
    let returned = false;
    store.write((tx) => {
      store.operators.saveOperator(tx, '2001', '操作员2001');
      afterTransaction(tx, (end) => heard.push({ end, inTransaction: store.db.inTransaction, visible: hasOperator('2001') && !returned }));
    });
    returned = true;
    expect(heard).toEqual([{ end: 'committed', inTransaction: false, visible: true }]);
  });

  it('hears "rolled-back" when the callback throws, and nothing was written', () => {
    t = tempStore();
    const { store } = t;
    const heard: TransactionEnd[] = [];
    expect(() =>
      store.write((tx) => {
        store.operators.saveOperator(tx, '2002', '操作员2002');
        afterTransaction(tx, (end) => heard.push(end));
        throw new Error('refused by the domain');
      }),
    ).toThrow('refused by the domain');
    expect(heard).toEqual(['rolled-back']);
    expect(hasOperator('2002')).toBe(false);
  });

  it('inside a nested write: a savepoint rolled back is heard at once, a released one waits for the outermost commit', () => {
    t = tempStore();
    const { store } = t;
    const heard: string[] = [];
    store.write((tx) => {
      expect(() =>
        store.write((inner) => {
          afterTransaction(inner, (end) => heard.push(`inner-failed:${end}`));
          throw new Error('inner refused');
        }),
      ).toThrow('inner refused');
      expect(heard).toEqual(['inner-failed:rolled-back']);
      store.write((inner) => afterTransaction(inner, (end) => heard.push(`inner-kept:${end}`)));
      afterTransaction(tx, (end) => heard.push(`outer:${end}`));
      expect(heard).toEqual(['inner-failed:rolled-back']);
    });
    expect(heard).toEqual(['inner-failed:rolled-back', 'inner-kept:committed', 'outer:committed']);
  });

  it('a failed COMMIT: "unknown" when it may have reached the disk, "rolled-back" when it cannot have', () => {
    t = tempStore({ commitSeam: seam });
    const { store } = t;
    const heard: TransactionEnd[] = [];
    seam.next = 'fsync-after-commit';
    expect(() => store.write((tx) => afterTransaction(tx, (end) => heard.push(end)))).toThrow(expect.objectContaining({ code: 'STORE_OUTCOME_UNKNOWN' }));
    seam.next = 'disk-full';
    expect(() => store.write((tx) => afterTransaction(tx, (end) => heard.push(end)))).toThrow(/disk is full/);
    expect(heard).toEqual(['unknown', 'rolled-back']);
  });

  it('a hook that throws changes nothing: the other hooks run and the write returns its result', () => {
    t = tempStore();
    const { store } = t;
    const heard: TransactionEnd[] = [];
    const result = store.write((tx) => {
      afterTransaction(tx, () => {
        throw new Error('a faulty listener');
      });
      afterTransaction(tx, (end) => heard.push(end));
      return 42;
    });
    expect(result).toBe(42);
    expect(heard).toEqual(['committed']);
  });

  it('refuses a hook outside a write transaction, and hooks of one transaction are not heard by the next', () => {
    t = tempStore();
    const { store } = t;
    expect(() => afterTransaction({ db: store.db, now: new Date() }, () => undefined)).toThrow(/not inside a store write transaction/);
    const heard: TransactionEnd[] = [];
    store.write((tx) => afterTransaction(tx, (end) => heard.push(end)));
    store.write(() => undefined);
    expect(heard).toEqual(['committed']);
  });
});
