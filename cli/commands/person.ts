import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliCommand } from '../command.ts';
import { parseCliArgs, UsageError } from '../args.ts';
import { actorOf } from '../actor.ts';
import { storePath } from '../store-path.ts';
import { exportPerson, purgePerson } from '../../db/person-data.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import { purgeSpooledDocumentsOf } from '../../services/documents/spool-retention.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';

const usage = `Usage:
  kiosk person export <psn_no|ID number> [--out <file.json>] [--operator <no>] [--store <path>]
  kiosk person purge <psn_no|ID number> --reason <text> [--operator <no>] [--store <path>]

A person's rights over their data (PIPL Art. 45, 47). export writes everything this terminal holds about the
person as JSON (to --out, mode 0600, or stdout). purge deletes the personal data that is not a record (cached
1101 answers, cards read, eligibility snapshots, sent queue items, the PDFs of their stays spooled in spool/) and
masks names in stored settlement outputs;
admissions, fee lines, deposits, refunds, settlements and payments are kept as accounting law requires. purge
refuses while the person has an open stay or queue item; after it the store's WAL is emptied, so no earlier copy of
the deleted rows is left in it (walEmptied in the report: false when the running terminal kept it busy). Both are
written to the audit log (ID masked).
Exit codes: 0 ok, 1 error, 2 usage.`;

export const personCommand: CliCommand = {
  name: 'person',
  summary: "One person's data: export it, or purge it (accounting records kept); audited",
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      store: { type: 'string' },
      out: { type: 'string' },
      reason: { type: 'string' },
      operator: { type: 'string' },
    });
    const [action, id, ...extra] = positionals;
    if (!action || !id || extra.length > 0 || (action !== 'export' && action !== 'purge')) throw new UsageError(usage);
    const path = storePath(values.store);
    const store = openEncryptedStore(path, cliKeyStore(path));
    try {
      const actor = actorOf(values.operator);
      if (action === 'export') {
        const json = JSON.stringify(exportPerson(store, id, { actor }), null, 2);
        if (values.out) {
          writeFileSync(values.out, json + '\n', { mode: 0o600 });
          chmodSync(values.out, 0o600); // the mode above applies to a new file only: an existing 0644 one stayed readable
          console.error(`已导出到 ${values.out}`);
        } else console.log(json);
        return 0;
      }
      if (!values.reason) throw new UsageError('purge needs --reason (e.g. "本人申请")');
      // The terminal spools PDFs beside the store (services/terminal.ts): the person's go with their data.
      const spoolDir = join(dirname(path), 'spool');
      const report = purgePerson(store, id, { actor, reason: values.reason, spooledDocuments: (about) => purgeSpooledDocumentsOf(spoolDir, about) });
      console.log(JSON.stringify(report, null, 2));
      if (!report.walEmptied) {
        console.error('已删除。终端正在使用数据库，数据库日志（WAL）中删除前的旧页暂未清除：终端关闭时会清除，或终端空闲时再删除一次任何人的信息。');
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
