import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { KioskApi } from '../../../contract/api.ts';
import type { Terminal, TerminalOptions } from '../../../services/terminal.ts';
import { screenshotPath } from './browser.ts';
import { apiOf, DEMO_PASSWORD } from './scenarios.ts';
import { startTerminalHost } from './terminal-host.ts';

export type Mode = 'admission' | 'self-service' | 'discharge';

/** The screen a journey runs on: its size, and whether it is a touch screen (tap() needs one). */
export interface Screen {
  width: number;
  height: number;
  touch?: boolean;
}

/** The kiosk screens deployed: landscape 1920×1080 and portrait 1080×1920, both touch. */
export const KIOSK_SCREENS = {
  landscape: { width: 1920, height: 1080, touch: true },
  portrait: { width: 1080, height: 1920, touch: true },
} as const satisfies Record<string, Screen>;

/** A fresh terminal (own data directory, demo mode: sandbox + virtual reader) and a page on it. */
export async function openTerminal(browser: Browser, mode: Mode, env: Record<string, string> = {}, screen?: Screen, options: TerminalOptions = {}) {
  const t = await startTerminalHost({ KIOSK_MODE: mode, KIOSK_DEMO: '1', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), `kiosk-e2e-${mode}-`)), ...env }, options);
  const viewport = screen ? { width: screen.width, height: screen.height } : mode === 'self-service' ? { width: 1280, height: 1024 } : { width: 1440, height: 900 };
  const page = await browser.newPage({ viewport, hasTouch: screen?.touch ?? false, locale: 'zh-CN' });
  page.setDefaultTimeout(20_000);
  await page.goto(t.host.launchUrl());
  return {
    ...t,
    page,
    async close() {
      await page.close();
      await t.close();
    },
  };
}

/**
 * One journey on a fresh terminal (see openTerminal): the page, and the test's own KioskApi on the terminal
 * for demo actions and set-up. Both are closed however the journey ends.
 */
export async function withTerminal(
  browser: Browser,
  mode: Mode,
  journey: (on: { page: Page; api: KioskApi; terminal: Terminal }) => Promise<void>,
  env: Record<string, string> = {},
  screen?: Screen,
  options: TerminalOptions = {},
): Promise<void> {
  const t = await openTerminal(browser, mode, env, screen, options);
  const api = apiOf(t.terminal);
  try {
    await journey({ page: t.page, api, terminal: t.terminal });
  } finally {
    api.close();
    await t.close();
  }
}

/**
 * A picture of the whole page under test-results/, named for docs/screens.md.
 *
 * Chromium paints a sandboxed (cross-origin) document preview only while it is inside the viewport: a full-page
 * picture showed the previews below the fold as empty frames (scrolling each into view first did not help).
 * With a preview on the page, the viewport is made as tall as the page for the picture, then put back.
 *
 * Without one, the page is stitched at its own window size (a taller window would turn a landscape kiosk
 * into the portrait layout, a picture of a screen nobody has). A sticky element is then drawn where the
 * window's edge was, in the middle of the picture over the text (the kiosk's actions bar over the 下一步
 * lines): for the picture it is put back in the flow, where the patient finds it after scrolling to the end.
 */
export async function shot(page: Page, name: string): Promise<void> {
  // A document preview drawn again (the slip after a top-up, the 结算单 after a collection) is a new frame:
  // the picture waits until every preview has loaded (desk-top-up-02 showed the slip as an empty frame).
  await page.waitForFunction(() => document.querySelectorAll('.doc-preview[data-loaded="false"]').length === 0, null, { timeout: 10_000 });
  const frames = page.locator('iframe');
  const count = await frames.count();
  let visible = false;
  // (A hidden one, e.g. under the desk's lock, stays hidden.)
  for (let i = 0; i < count && !visible; i++) visible = await frames.nth(i).isVisible();
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (visible && viewport && height > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height });
    try {
      await page.waitForTimeout(300);
      await page.screenshot({ path: screenshotPath(name), animations: 'disabled' });
    } finally {
      await page.setViewportSize(viewport);
    }
    return;
  }
  // A modal dialog is pictured as the window the user sees it in: its backdrop is fixed to the window, and a
  // stitched picture drew it as a grey band across the middle of the page (counter-15, desk-13).
  if (viewport && height > viewport.height && (await page.locator('[aria-modal="true"], [role="alertdialog"]').first().isVisible())) {
    await page.screenshot({ path: screenshotPath(name), animations: 'disabled' });
    return;
  }
  const unstuck = await page.evaluate(() => {
    const sticky = [...document.querySelectorAll<HTMLElement>('body *')].filter((e) => getComputedStyle(e).position === 'sticky');
    for (const e of sticky) {
      e.dataset.shotUnstuck = '';
      e.style.setProperty('position', 'static', 'important');
    }
    return sticky.length;
  });
  try {
    await page.screenshot({ path: screenshotPath(name), fullPage: true, animations: 'disabled' });
  } finally {
    if (unstuck > 0) {
      await page.evaluate(() =>
        document.querySelectorAll<HTMLElement>('[data-shot-unstuck]').forEach((e) => {
          e.style.removeProperty('position');
          delete e.dataset.shotUnstuck;
        }),
      );
    }
  }
}

/**
 * Sign-in on a staff desk, by keyboard only: 工号, Tab, 密码, Enter (a demo account: 1001 clerk, 0002 cashier,
 * SUP01 supervisor, 9001 technician; password DEMO_PASSWORD). When that operator is already signed in (the
 * desk is open with their 工号), nothing is typed.
 */
export async function signInByKeyboard(page: Page, opterNo = '1001', password = DEMO_PASSWORD): Promise<void> {
  // A desk open for someone else (a set-up that signed in and out through the API) goes back to the sign-in
  // screen by itself when that operator signs out: wait for the sign-in, or the desk of this operator.
  const mine = page.locator('.desk-operator', { hasText: `（${opterNo}）` });
  await page.getByTestId('sign-in').or(mine).first().waitFor();
  if (await mine.isVisible()) return;
  await page.getByLabel('工号').focus();
  await page.keyboard.type(opterNo);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.locator('.desk-tabs').waitFor();
}

/** Signs in on a staff desk (see signInByKeyboard) and waits for the patient identification step. */
export async function signInToIdentify(page: Page): Promise<void> {
  await signInByKeyboard(page);
  await page.getByTestId('identify').waitFor();
}

/** On the identification step, types an ID number key by key, as a person does, and waits for eligibility. */
export async function identifyByTypedId(page: Page, certNo: string): Promise<void> {
  await page.keyboard.type(certNo, { delay: 90 });
  await page.keyboard.press('Enter');
  await page.getByTestId('eligibility-step').waitFor();
}

/** On the self-service start screen, a card goes into the (virtual) reader; waits for the plain-words result. */
export async function insertCardForResult(page: Page, api: KioskApi, personKey: string): Promise<void> {
  await api.demo.insertCard({ personKey, generation: 3 });
  await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
}

/** Everything the page shows as text (for "no personal data left" and "no English error" checks). */
export const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);
