import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The name of the focused element (the form fields are found by name, as the clerk's Tab reaches them). */
export function focusedName(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('name'));
}

export interface DeskFormFill {
  /** 预交金 in yuan, with its 收据号; null: none taken at registration. */
  deposit: string | null;
  receiptNo?: string;
  /** 入院时间 typed over the default (the terminal's now), "yyyy-MM-dd HH:mm"; null keeps the default. */
  begntime?: string | null;
}

/**
 * The admission form filled by keyboard only, as the clerk does, from 科室 (the focus the form opens with, or
 * the first field in error): ArrowDown picks the first real option of each select, Tab moves on in reading
 * order, the ICD-10 list takes ↓ ↑ Enter (its Enter chooses, it does not submit); one Tab stop for 入院类型,
 * one for 入院时间 (its text selected, so typing replaces the default), then 预交金, 缴费方式 and 收据号.
 * Leaves the focus in the last field filled; Enter then submits. Shared by every desk journey (one walk of
 * the form, so a new field changes one place).
 */
export async function fillAdmissionFormByKeyboard(page: Page, fill: DeskFormFill): Promise<void> {
  await page.getByTestId('admission-form').waitFor();
  for (const field of ['deptCode', 'ward', 'bed', 'doctorCode']) {
    await expect.poll(() => focusedName(page)).toBe(field);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
  }
  await expect.poll(() => focusedName(page)).toBe('diagnosis');
  await page.keyboard.type('I20', { delay: 100 });
  await page.getByTestId('diagnosis-results').waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter'); // chooses the highlighted diagnosis, does not submit
  expect(await page.getByTestId('diagnosis-input').inputValue()).toMatch(/^I20/);
  if (!fill.deposit && !fill.begntime) return;
  await page.keyboard.press('Tab'); // 入院类型 (one stop for the radio group)
  await page.keyboard.press('Tab'); // 入院时间
  await expect.poll(() => focusedName(page)).toBe('begntime');
  if (fill.begntime) await page.keyboard.type(fill.begntime, { delay: 60 });
  if (!fill.deposit) return;
  await page.keyboard.press('Tab'); // 预交金
  await expect.poll(() => focusedName(page)).toBe('deposit');
  await page.keyboard.type(fill.deposit, { delay: 80 });
  await page.keyboard.press('Tab'); // 缴费方式 (现金)
  await page.keyboard.press('Tab'); // 收据号
  await expect.poll(() => focusedName(page)).toBe('receiptNo');
  await page.keyboard.type(fill.receiptNo ?? 'YJ20260001', { delay: 80 });
}
