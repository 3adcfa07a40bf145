import type { Page } from 'playwright-core';
import type { KioskApi } from '../../../contract/api.ts';
import type { AdmissionView } from '../../../contract/dto/admission.ts';
import { sandboxAdmin } from '../../../insurance/sandbox/testing.ts';
import type { Terminal } from '../../../services/terminal.ts';
import { admitWithCharges, PEOPLE } from './scenarios.ts';

/** The demo platform asks for this person's card PIN before 2304 (as some regions do; docs/settlement.md). */
export async function platformAsksPin(terminal: Terminal, psnNo: string): Promise<void> {
  const demo = terminal.parts.demo;
  if (!demo) throw new Error('the PIN journeys need the demo world (its sandbox platform)');
  await sandboxAdmin(new URL(demo.sandboxUrl).origin).setPersonFacts(psnNo, { pin_at_settlement: true });
}

/**
 * The kiosk's way to the 医保密码 keypad, by touch: a booked stay of 王建国 with charges, whose settlement the
 * platform gives only with the PIN; the patient (in 大字模式 when asked) inserts the card, taps 出院结算 and
 * 确认结算. Returns the stay; the keypad is on screen.
 */
export async function kioskToPinKeypad(page: Page, api: KioskApi, terminal: Terminal, { elderly = false } = {}): Promise<AdmissionView> {
  const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
  await platformAsksPin(terminal, stay.person.psnNo);
  await api.system.resetSession({});
  await page.getByTestId('start-self-service').waitFor();
  if (elderly) await page.getByTestId('ss-elderly-toggle').tap();
  await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
  await page.getByTestId('ss-go-settle').tap({ timeout: 30_000 });
  await page.getByTestId('ss-settle-confirm').tap({ timeout: 30_000 });
  await page.getByTestId('ss-pin').waitFor();
  return stay;
}
