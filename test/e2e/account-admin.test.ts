import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountAdmin } from '../../services/operator/account-admin.ts';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';

const run = browserAvailable();
const JOURNEY_MS = 200_000;
const SUPERVISOR = { opterNo: 'S100', password: 'Zhu-guan-2026' };

/** Tab (or Shift+Tab) until the focused element matches, as a person tabbing through the screen; at most `max` keys. */
async function tabUntil(page: Page, matches: (el: { testId: string | null; text: string }) => boolean, max = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<number> {
  for (let n = 0; n <= max; n++) {
    const el = await page.evaluate(() => ({ testId: document.activeElement?.getAttribute('data-testid') ?? null, text: (document.activeElement as HTMLElement | null)?.innerText ?? '' }));
    if (matches(el)) return n;
    await page.keyboard.press(key);
  }
  throw new Error(`not reached with ${max} ${key} presses`);
}

/** The focused element's visible text (a button's words). */
const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
/** The focused element draws a visible focus ring (keyboard-only work needs to see where it is). */
const focusRing = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle !== 'none');

describe.runIf(run)('issue 15: operator accounts from the screen (supervisor, keyboard only)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'lists accounts; adds one (a weak password refused first); lifts a lockout; the last supervisor stays one; resets a password, which the operator changes at sign-in; disables',
    () =>
      withTerminal(browser, 'admission', async ({ page, terminal }) => {
        // A hospital's terminal: its own accounts (as IT adds them with `kiosk operators add`, the same service),
        // the demo accounts off as outside demo mode, and a cashier locked out by five wrong passwords.
        const accounts = terminal.parts.operators.accounts;
        accounts.sync('demo', [], 'system:demo');
        const it = { kind: 'it' as const, actor: 'cli:it' };
        const admin = new AccountAdmin(accounts);
        admin.add(it, { opterNo: SUPERVISOR.opterNo, name: '刘主管', roles: ['supervisor'], password: SUPERVISOR.password, mustChange: false });
        admin.add(it, { opterNo: '1101', name: '陈护士', roles: ['clerk'], password: 'Chen-hs-2026', mustChange: false });
        admin.add(it, { opterNo: '2101', name: '赵收费', roles: ['cashier'], password: 'Zhao-sf-2026', mustChange: false });
        for (let i = 0; i < 5; i++) accounts.check('2101', `wrong-${i}`, 'sign-in');

        await signInByKeyboard(page, SUPERVISOR.opterNo, SUPERVISOR.password);
        await page.getByTestId('identify').waitFor();
        // 账号管理 is the supervisor's last tab: reached by keyboard from the desk.
        await tabUntil(page, (el) => el.testId === 'tab-accounts', 40, 'Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-list').waitFor();
        const list = await page.getByTestId('account-list').innerText();
        for (const words of ['工号', '姓名', '角色', '状态', '最近登录', '刘主管（本人）', '主管', '赵收费', '收费员', '已锁定（至', '陈护士', '入院登记员', '正常', '从未登录', '演示账号', '已停用']) expect(list).toContain(words);
        expect(list).not.toMatch(/scrypt|active|locked|disabled/);
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'desk-accounts-01-list');

        // 新增账号: Tab to it, Enter; 工号, 姓名, roles (Space), the initial password twice; a weak one first.
        await tabUntil(page, (el) => el.testId === 'add-account-open');
        expect(await focusRing(page)).toBe(true);
        await page.keyboard.press('Enter');
        await page.getByTestId('add-account').waitFor();
        await page.keyboard.type('K21');
        await page.keyboard.press('Tab');
        await page.keyboard.type('周登记');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space'); // 入院登记员
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab'); // 初始密码
        await page.keyboard.type('12345678');
        await page.keyboard.press('Tab');
        await page.keyboard.type('12345678');
        await page.keyboard.press('Enter');
        await page.getByTestId('add-account').getByTestId('error').filter({ hasText: '密码须包含字母、数字、符号中的至少两类。' }).waitFor();
        expect(accounts.get('K21')).toBeNull();
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'desk-accounts-02-add-refused');
        await page.keyboard.press('Shift+Tab'); // back to 初始密码 (both were emptied)
        await page.keyboard.type('Zhou-2026x');
        await page.keyboard.press('Tab');
        await page.keyboard.type('Zhou-2026x');
        await page.keyboard.press('Enter');
        const said = page.getByTestId('account-said');
        await said.filter({ hasText: '已添加 周登记（K21），角色：入院登记员。首次登录时须设置自己的密码。' }).waitFor();
        expect(accounts.get('K21')).toMatchObject({ roles: ['clerk'], mustChange: true, source: 'cli' });
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'desk-accounts-03-added');

        // Esc: back to the list, on K21's row; ↑ to the locked cashier, Enter, Tab to 解除锁定, Enter.
        await page.keyboard.press('Escape');
        await page.getByTestId('account-list').waitFor();
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('管理 周登记（K21）');
        await page.keyboard.press('ArrowUp'); // 9001 (demo, off)
        await page.keyboard.press('ArrowUp');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('管理 赵收费（2101）');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-state').filter({ hasText: /已锁定（至 \d\d:\d\d）/ }).waitFor();
        await tabUntil(page, (el) => el.text === '解除锁定');
        await page.keyboard.press('Enter');
        await said.filter({ hasText: '已解除 赵收费（2101）的锁定。' }).waitFor();
        expect(await page.getByTestId('account-state').innerText()).toBe('正常');
        expect(accounts.lockOf('2101')).toBeNull();
        // The button pressed is gone: the focus is on the account's first action again, not lost.
        expect(await focused(page)).toBe('修改角色');
        await shot(page, 'desk-accounts-04-unlocked');

        // The supervisor's own account: no 停用; taking away the last supervisor's role is refused, in words.
        await page.keyboard.press('Escape');
        await page.getByTestId('account-list').waitFor();
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // 9001 (demo, off), K21, S100
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('管理 刘主管（S100）');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-detail').waitFor();
        expect(await page.getByTestId('account-detail').getByRole('button', { name: '停用' }).count()).toBe(0);
        expect(await focused(page)).toBe('修改角色');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-roles').waitFor();
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space'); // + 收费员
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space'); // − 主管
        await page.keyboard.press('Enter');
        await page.getByTestId('account-roles').getByTestId('error').filter({ hasText: '刘主管（S100）是本终端唯一可登录的主管，不能停用或取消其主管角色。' }).waitFor();
        expect(accounts.get('S100')!.roles).toEqual(['supervisor']);
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'desk-accounts-05-last-supervisor');
        await page.keyboard.press('Escape'); // the form
        await page.getByTestId('account-detail').waitFor();
        await page.keyboard.press('Escape'); // the account

        // K21: reset the password (it must be changed at the next sign-in), then 停用 and 启用.
        await page.getByTestId('account-list').waitFor();
        await page.keyboard.press('ArrowUp');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('管理 周登记（K21）');
        await page.keyboard.press('Enter');
        await tabUntil(page, (el) => el.text === '重置密码');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-reset-password').waitFor();
        await page.keyboard.type('Reset-2026k');
        await page.keyboard.press('Tab');
        await page.keyboard.type('Reset-2026k');
        await page.keyboard.press('Enter');
        await said.filter({ hasText: '已重置 周登记（K21）的密码；下次登录时须设置自己的密码。' }).waitFor();
        await tabUntil(page, (el) => el.text === '停用');
        await page.keyboard.press('Enter');
        await page.getByTestId('account-disable').waitFor();
        expect(await focused(page)).toBe('确认停用（Enter）');
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'desk-accounts-06-disable-confirm');
        await page.keyboard.press('Enter');
        await said.filter({ hasText: '已停用 周登记（K21）：该工号不能再登录。' }).waitFor();
        expect(accounts.get('K21')!.disabled).toBe(true);
        await page.keyboard.press('Escape');
        await page.getByTestId('account-list').waitFor();
        expect(await page.getByTestId('account-K21').innerText()).toContain('已停用');
        await shot(page, 'desk-accounts-07-list-after');
        // Re-enabled (no confirmation needed to give access back).
        await page.keyboard.press('Enter');
        await tabUntil(page, (el) => el.text === '启用');
        await page.keyboard.press('Enter');
        await said.filter({ hasText: '已启用 周登记（K21）。' }).waitFor();

        // 签退; K21 signs in with the reset password and must set their own before anything else.
        await tabUntil(page, (el) => el.text === '签退', 40, 'Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByTestId('sign-in').waitFor();
        await page.getByLabel('工号').focus();
        await page.keyboard.type('K21');
        await page.keyboard.press('Tab');
        await page.keyboard.type('Reset-2026k');
        await page.keyboard.press('Enter');
        await page.getByTestId('change-password').waitFor();
        await page.keyboard.type('Reset-2026k');
        await page.keyboard.press('Tab');
        await page.keyboard.type('Zhou-own-2026');
        await page.keyboard.press('Tab');
        await page.keyboard.type('Zhou-own-2026');
        await page.keyboard.press('Enter');
        await page.getByTestId('identify').waitFor();
        expect(await page.locator('.desk-operator').innerText()).toContain('周登记（K21）');
        // A clerk has no 账号管理 tab, and the terminal refuses the requests anyway (contract/access.ts, the service).
        expect(await page.getByTestId('tab-accounts').count()).toBe(0);

        // Every change is in the audit chain under the supervisor; no password and no hash anywhere in it.
        const audit = terminal.parts.store.audit.list({});
        const bySupervisor = audit.filter((e) => e.actor === 'opter:S100').map((e) => `${e.action} ${e.subject}`);
        expect(bySupervisor).toEqual(
          expect.arrayContaining([
            'operator.account-added operator:K21',
            'operator.unlocked operator:2101',
            'operator.admin-refused operator:S100',
            'operator.password-set operator:K21',
            'operator.disabled operator:K21',
            'operator.enabled operator:K21',
          ]),
        );
        expect(terminal.parts.store.audit.verify()).toMatchObject({ ok: true });
        expect(JSON.stringify(audit)).not.toMatch(/scrypt\$|Zhou-2026x|Reset-2026k|Zhou-own-2026|12345678|Zhu-guan-2026/);
      }),
    JOURNEY_MS,
  );
});
