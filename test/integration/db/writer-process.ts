/**
 * A front desk that never stops registering: in a loop, one transaction per admission (the admission row, its
 * deposit and its 2401 outbox row), as the admission service writes them. Killed with SIGKILL by the test.
 * Prints {"event":"started"} once, then {"event":"written","n":…} every 20 admissions.
 * Usage: tsx writer-process.ts --store <file> --prefix <ZA> --partition <index>/<count>
 */
import { parseArgs } from 'node:util';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';

const { values } = parseArgs({ options: { store: { type: 'string' }, prefix: { type: 'string', default: 'ZY' }, partition: { type: 'string', default: '0/1' } } });
const [index, count] = values.partition!.split('/').map(Number) as [number, number];
const store = openEncryptedStore(values.store!, cliKeyStore(values.store!), { fixmedinsCode: 'H32020000001', iptNoPrefix: values.prefix!, msgidPartition: { index, count } });
process.stdout.write(`${JSON.stringify({ event: 'started' })}\n`);
let n = 0;
const tick = (): void => {
  for (let i = 0; i < 5; i++) {
    store.write((tx) => {
      const adm = store.admissions.create(tx, {
        psnNo: `P${process.pid}-${n}`,
        insutype: '310',
        insuplcAdmdvs: '320200',
        checkId: null,
        medType: '21',
        admissionType: 'normal',
        deptCode: 'A03',
        deptName: '心血管内科',
        ward: '5',
        bed: String(n % 40),
        atddrNo: 'D001',
        chfpdrName: '李医生',
        diagCode: 'I10.x00',
        diagName: '原发性高血压',
        begntime: '2026-11-20 08:00:00',
        direct: true,
      });
      store.money.addDeposit(tx, { iptNo: adm.iptNo, kind: 'deposit', amountFen: 100_000, method: 'cash', receiptNo: `R-${adm.iptNo}`, opterNo: '1001' });
      // The msgid drawn by the enqueue (recorded by the outbox row alone), as the admission service does; every
      // other admission takes it from `next` first (which writes the sequence's row), as a 2304 does.
      const msgid = n % 2 === 1 ? { msgid: store.msgids.next(tx.now) } : {};
      store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2401', input: { mdtrtinfo: { psn_no: adm.psnNo, ipt_no: adm.iptNo } }, ...msgid, envelope: { insuplc_admdvs: '320200' } });
      store.audit.append(tx, { actor: 'opter:1001', action: 'admission.register', subject: `admission:${adm.iptNo}` });
    });
    n++;
  }
  if (n % 20 === 0) process.stdout.write(`${JSON.stringify({ event: 'written', n })}\n`);
  setImmediate(tick);
};
tick();
