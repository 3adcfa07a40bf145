import { sandboxAdmin } from '../../../insurance/sandbox/testing.ts';
import type { KioskApi } from '../../../contract/api.ts';
import type { AdmissionView, RegisterOutcome } from '../../../contract/dto/admission.ts';
import { createMemoryClient } from '../../../contract/transports/memory.ts';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { everyRole } from '../../fakes/fake-services.ts';
import type { Terminal } from '../../../services/terminal.ts';

/**
 * Set-up for journeys and benchmarks that start in the middle of a stay (the discharge counter): the same
 * KioskApi the renderer uses, over the in-memory transport to the test's own terminal, so everything goes
 * through the real services, store and sandbox platform. It stands in for the hospital's other desks (the
 * counter entering charges before a kiosk journey), so it holds every role; the page under test goes through
 * the terminal's own dispatcher and its role check. Services still attribute work to the operator signed in.
 */
export function apiOf(terminal: Terminal): KioskApi & { close(): void } {
  return createMemoryClient(new Dispatcher(terminal.parts.services, everyRole, { validateResults: true }));
}

/** The demo accounts (services/demo/demo-accounts.ts): 1001 clerk, 0002 cashier, SUP01 supervisor, 9001 technician. */
export const DEMO_PASSWORD = '123456';

/** Fixture people (fixtures/people.json) the journeys use. */
export const PEOPLE = {
  local: { key: 'local-employee', certNo: '320200197503141014', name: '王建国', ecToken: '320200ec32ecbef721a4ba6837093000a9c9' },
  crossFiled: { key: 'hf-filed', certNo: '340100195503032212', name: '蒋立新', ecToken: '340100eccba0e4d7bdf1b2569cf728291e98' },
  crossUnfiled: { key: 'hf-unfiled', certNo: '340100197811112328', name: '沈玉兰', ecToken: '340100ec2056bef12952f45cf757372959ed' },
  lostCard: { key: 'card-lost', certNo: '320200197606062917', name: '许振华', ecToken: '320200ec2cf23a73980bed475b515009e1bb' },
  smallAccount: { key: 'small-account', certNo: '320200198711023818', name: '金晓东', ecToken: '320200eca877a6eb1a68a7fb52dc45de3d20' },
  localResident: { key: 'local-resident', certNo: '32020019620802112X', name: '李秀英', ecToken: '320200ec2e0710a042553560e02adfafff31' },
} as const;

/**
 * Registers an admission for a person identified by ID number, with a deposit, and adds fee lines from the
 * catalogue until the bill reaches about `chargesFen` (none for 0). Returns the admission as the services see it.
 */
export async function admitWithCharges(
  api: KioskApi,
  certNo: string,
  options: { depositFen: number; chargesFen: number; receiptNo?: string; via?: 'desk' | 'kiosk-booking' },
): Promise<AdmissionView> {
  const credential = { kind: 'id', certType: '02', certNo } as const;
  const deposit = { amountFen: options.depositFen, receiptNo: options.receiptNo ?? `YJ${Date.now()}`, method: 'cash' as const };
  // The admission desk's clerk registers; signed out again at the end, so the page under test signs in itself.
  const atDesk = options.via !== 'kiosk-booking';
  if (atDesk) await api.operator.signIn({ opterNo: '1001', password: DEMO_PASSWORD });
  try {
    return await admit(api, certNo, credential, deposit, options);
  } finally {
    if (atDesk) await api.operator.signOut({});
  }
}

async function admit(
  api: KioskApi,
  certNo: string,
  credential: { kind: 'id'; certType: '02'; certNo: string },
  deposit: { amountFen: number; receiptNo: string; method: 'cash' },
  options: { depositFen: number; chargesFen: number; via?: 'desk' | 'kiosk-booking' },
): Promise<AdmissionView> {
  const decision = await api.eligibility.check({ credential, admissionType: 'normal' });
  const checkId = decision.needsInsutypeChoice
    ? (await api.eligibility.check({ credential, insutype: decision.insurances.find((i) => i.active)!.insutype })).checkId
    : decision.checkId;
  let admission: AdmissionView;
  if (options.via === 'kiosk-booking') {
    // A self-service terminal admits only booked stays (the patient's own check-in).
    const { bookings } = await api.admission.findBooked({ credential });
    const booking = bookings[0];
    if (!booking) throw new Error(`no booked admission for ${certNo} in the demo bookings`);
    // The kiosk takes the deposit only through the payment gateway: QR, paid by the demo's simulated phone.
    admission = registered(await api.admission.checkIn({ bookingId: booking.bookingId, checkId }));
    await payDepositByQr(api, admission.admissionId, options.depositFen);
    admission = await api.admission.get({ admissionId: admission.admissionId });
  } else {
    const [dept] = await api.admission.departments({});
    if (!dept) throw new Error('no departments configured');
    const ward = dept.wards[0]!;
    const doctor = dept.doctors[0]!;
    const [dx] = await api.admission.searchDiagnoses({ q: 'I20', limit: 5 });
    if (!dx) throw new Error('ICD-10 search found nothing for I20');
    admission = registered(await api.admission.register({
      checkId,
      deptCode: dept.code,
      ward: ward.code,
      bed: ward.beds[0]!,
      attendingDoctorCode: doctor.code,
      attendingDoctorName: doctor.name,
      diagnosisCode: dx.code,
      diagnosisName: dx.name,
      admissionType: 'normal',
      deposit,
    }));
  }
  // No charges asked for: the stay as the counter finds it before the HIS file is imported.
  if (options.chargesFen === 0) return api.admission.get({ admissionId: admission.admissionId });
  // A spread of categories: bed, examination, western medicine.
  const picks: Array<{ code: string; pricFen: number }> = [];
  for (const q of ['床位', '检查', '片']) {
    const [entry] = (await api.charges.searchCatalogue({ q, limit: 5 })).filter((e) => e.pricFen > 0);
    if (entry) picks.push({ code: entry.code, pricFen: entry.pricFen });
  }
  if (picks.length === 0) throw new Error('the catalogue search found no priced entries');
  const share = Math.ceil(options.chargesFen / picks.length);
  await api.charges.add({
    admissionId: admission.admissionId,
    lines: picks.map((p) => ({ medListCodg: p.code, cnt: Math.max(1, Math.round(share / p.pricFen)) })),
  });
  await api.charges.upload({ admissionId: admission.admissionId });
  return api.admission.get({ admissionId: admission.admissionId });
}

/** The stay of a registration that the platform did not refuse (admitted, or queued to go later). */
function registered(r: RegisterOutcome): AdmissionView {
  if (r.outcome === 'refused') throw new Error(`registration refused: ${r.reasons.join('; ')}`);
  return r.admission;
}

/** A 预交金 through the payment sandbox: the QR order, the simulated phone pays it, polled until applied. */
export async function payDepositByQr(api: KioskApi, admissionId: string, amountFen: number): Promise<void> {
  let order = await api.payments.startQr({ admissionId, amountFen, purpose: 'deposit' });
  if (!order.qrCode) throw new Error(`no QR for the deposit order: ${order.state} ${order.message ?? ''}`);
  await api.demo.phonePays({ qrCode: order.qrCode, action: 'pay' });
  for (let i = 0; i < 100 && order.state !== 'applied'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    order = await api.payments.status({ outTradeNo: order.outTradeNo });
  }
  if (order.state !== 'applied') throw new Error(`the deposit order did not apply: ${order.state}`);
}

/**
 * What the patient's phone shows: a fresh 医保电子凭证 QR code from the demo sandbox (valid 60 s, one decode).
 * The terminal decodes it (ec.query) and the platform gets its ecToken; the QR text is never an ecToken.
 */
export async function voucherQr(terminal: Terminal, key: string): Promise<string> {
  const demo = terminal.parts.demo;
  if (!demo) throw new Error('voucherQr needs a demo terminal (its sandbox issues the QR codes)');
  return (await sandboxAdmin(new URL(demo.sandboxUrl).origin).voucherQr(key)).qrCode;
}
