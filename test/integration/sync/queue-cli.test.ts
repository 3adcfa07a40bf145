import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Store } from '../../../db/store.ts';
import { Relay } from '../../../services/sync/relay.ts';
import { SimulatedPlatform } from './simulated-platform.ts';
import { HOSPITAL, queueStay, realStore, tempDir, waitUntil } from './helpers.ts';
import { systemClock } from '../../../base/clock.ts';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';

/** `kiosk queue` as an operator runs it: a real process on the store file, next to a running relay. */
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

function kiosk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [KIOSK, 'queue', ...args], { env: { ...process.env, KIOSK_CONFIG: '', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

describe('kiosk queue', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let relay: Relay | null = null;

  afterEach(async () => {
    await relay?.stop();
    relay = null;
    store?.close();
    dir?.cleanup();
  });

  /** Two stays; the first one's 2401 refused by the platform (a dead letter holding its stay). */
  async function withDeadLetter(): Promise<{ platform: SimulatedPlatform; deadId: number; heldId: number; goodIptNo: string }> {
    dir = tempDir('kiosk-queue-cli-');
    // The store as the terminal leaves it: encrypted under the key files beside it, which the command line uses.
    const path = join(dir.dir, 'kiosk.sqlite');
    store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL, clock: systemClock });
    const platform = new SimulatedPlatform();
    const bad = queueStay(store, { psnNo: 'P1', refuse2401: true, feeBatches: 1 });
    const good = queueStay(store, { psnNo: 'P2', feeBatches: 1 });
    relay = new Relay({ writeBack: createWriteBackTable(), store, platform, backoff: { baseMs: 5, capMs: 20 }, reversalBackoff: { baseMs: 5, capMs: 20 }, pollIntervalMs: 100 });
    await relay.start();
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 3, 'the good stay done and the bad one dead');
    return { platform, deadId: bad.items[0]!.id, heldId: bad.items[1]!.id, goodIptNo: good.iptNo };
  }

  it('shows depth, oldest age and dead letters (JSON), and the default store comes from KIOSK_DATA_DIR', async () => {
    const { deadId, heldId } = await withDeadLetter();
    const r = await kiosk(['--json'], { KIOSK_DATA_DIR: dir.dir });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as { store: string; depth: number; deadLetters: number; oldestAgeSeconds: number; items: Array<{ id: string; state: string; infno: string; lastError: string }> };
    expect(status).toMatchObject({ store: join(dir.dir, 'kiosk.sqlite'), depth: 3, deadLetters: 1 });
    expect(status.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.items.find((i) => i.id === String(deadId))).toMatchObject({ state: 'dead', infno: '2401', lastError: '平台拒绝：诊断编码不存在' });
    expect(status.items.find((i) => i.id === String(heldId))).toMatchObject({ state: 'pending' });
    const human = await kiosk(['--store', store.path]);
    expect(human.stdout).toContain('死信 1 笔');
  });

  it('retry from the command line is audited and the running relay picks it up', async () => {
    const { platform, deadId } = await withDeadLetter();
    const oldMsgid = store.outbox.get(deadId)!.msgid;
    platform.refuseMarked = false; // the cause was fixed on the platform's side (its catalogue)
    const r = await kiosk(['retry', String(deadId), '--store', store.path, '--operator', '1001', '--note', '平台已修正目录']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已重新排队');
    const retried = store.outbox.get(deadId)!;
    expect(retried.msgid).not.toBe(oldMsgid);
    expect(store.audit.list({ subject: `outbox:${deadId}` }).at(-1)).toMatchObject({
      actor: `cli:${userInfo().username}/opter:1001`,
      action: 'outbox.retry',
      detail: { oldMsgid, newMsgid: retried.msgid, note: '平台已修正目录' },
    });
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the relay to send the retried stay', 20_000);
    expect(platform.live().filter((e) => e.infno === '2401')).toHaveLength(2);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('cancel needs a reason and cascades over the stay; a cancelled item cannot be retried', async () => {
    const { deadId, heldId } = await withDeadLetter();
    const noReason = await kiosk(['cancel', String(deadId), '--store', store.path]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const r = await kiosk(['cancel', String(deadId), '--reason', '患者改为自费', '--store', store.path, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ id: string }>).map((i) => Number(i.id))).toEqual([deadId, heldId, heldId + 1]);
    expect(store.admissions.list().find((a) => a.status === 'cancelled')).toBeTruthy();
    const again = await kiosk(['retry', String(deadId), '--store', store.path]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已取消');
  });

  it('cancel of a queued 2401 cancels the stay AND refunds its deposits, as the desk does (defect: it did not refund)', async () => {
    dir = tempDir('kiosk-queue-cli-');
    store = realStore(dir.dir);
    // Registered offline with a 3,000 元 deposit by WeChat: the 2401 waits in the queue, nobody sent it.
    const stay = queueStay(store, { psnNo: 'P9', feeBatches: 0 });
    store.write((tx) => store.money.addDeposit(tx, { iptNo: stay.iptNo, kind: 'deposit', amountFen: 300_000, method: 'wechat', receiptNo: 'YJ-Q-1', opterNo: '1001' }));
    // The terminal is not running: the command line has the store to itself.
    const path = store.path;
    store.close();
    const r = await kiosk(['cancel', String(stay.items[0]!.id), '--reason', '患者放弃住院', '--store', path, '--operator', '1001']);
    // The command line encrypts the store with the terminal's key as it opens it: open it the same way.
    store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(store.admissions.get(stay.iptNo)?.status).toBe('cancelled');
    // The money goes back the way it came, in the same transaction as the cancel.
    expect(store.money.refunds(stay.iptNo)).toMatchObject([{ reason: 'cancellation', amountFen: 300_000, method: 'wechat', receiptNo: 'YJ-Q-1-TK' }]);
    expect(store.audit.list({ subject: `admission:${stay.iptNo}` }).map((e) => e.action)).toContain('admission.cancelled');
  });

  it('edit replaces the input from a file; show masks names; bad ids and a missing store are clear errors', async () => {
    const { deadId } = await withDeadLetter();
    const item = store.outbox.get(deadId)!;
    const fixed = JSON.parse(JSON.stringify(item.input).replace('REFUSE', 'I10.x00')) as { mdtrtinfo: Record<string, unknown> };
    fixed.mdtrtinfo.psn_name = '欧阳娜娜';
    const file = join(dir.dir, 'fixed.json');
    writeFileSync(file, JSON.stringify(fixed));
    const r = await kiosk(['edit', String(deadId), '--input', file, '--store', store.path]);
    expect(r.code).toBe(0);
    expect(store.outbox.get(deadId)!.input).toEqual(fixed);
    const show = await kiosk(['show', String(deadId), '--json', '--store', store.path]);
    expect(show.code).toBe(0);
    expect(show.stdout).not.toContain('欧阳娜娜');
    expect(show.stdout).toContain('欧**娜');
    expect(JSON.parse(show.stdout)).toMatchObject({ audit: [{ action: 'outbox.dead-letter' }, { action: 'outbox.edit' }] });
    expect((await kiosk(['retry', 'abc', '--store', store.path])).code).toBe(2);
    const missing = await kiosk(['--store', join(dir.dir, 'nope.sqlite')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('本地数据库不存在');
    const badJson = join(dir.dir, 'bad.json');
    writeFileSync(badJson, '{ not json');
    const bad = await kiosk(['edit', String(deadId), '--input', badJson, '--store', store.path]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('不是有效的 JSON');
  });
});
