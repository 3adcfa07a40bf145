import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseScaledDecimal } from '../policy/decimal.ts';
import { toPolicyParameters } from '../policy/parameters.ts';
import { groupContainingBoth } from '../policy/pooling.ts';
import { WorldFixture } from './fixture-schema.ts';
import { PeopleFile } from './people.ts';
import type { Card, CatalogueItem, Hospital, Person, World } from './world.ts';

/** The default world: insurance/sandbox/fixtures/default.json. */
export const DEFAULT_FIXTURES_PATH = fileURLToPath(new URL('../fixtures/default.json', import.meta.url));

/** A fixture file that does not describe a consistent world. The message lists every problem. */
export class FixtureError extends Error {
  constructor(file: string, problems: string[]) {
    super(`fixtures ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'FixtureError';
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FixtureError(path, [`cannot read JSON: ${(e as Error).message}`]);
  }
}

function zodProblems(e: z.ZodError): string[] {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Loads and cross-checks a world file (schema: fixture-schema.ts, docs/sandbox.md). */
export function loadWorld(fixturesPath: string = DEFAULT_FIXTURES_PATH): World {
  const file = resolve(fixturesPath);
  const parsed = WorldFixture.safeParse(readJson(file));
  if (!parsed.success) throw new FixtureError(file, zodProblems(parsed.error));
  const fx = parsed.data;
  const base = dirname(file);

  const peoplePath = resolve(base, fx.peopleFile);
  const people = PeopleFile.safeParse(readJson(peoplePath));
  if (!people.success) throw new FixtureError(peoplePath, zodProblems(people.error));

  const parametersPath = resolve(base, fx.parametersFile);
  let parameters;
  try {
    parameters = toPolicyParameters(readJson(parametersPath));
  } catch (e) {
    throw new FixtureError(parametersPath, e instanceof z.ZodError ? zodProblems(e) : [(e as Error).message]);
  }

  const problems: string[] = [];
  const unique = <T>(items: T[], key: (t: T) => string, what: string) => {
    const seen = new Set<string>();
    for (const it of items) {
      const k = key(it);
      if (seen.has(k)) problems.push(`duplicate ${what} ${k}`);
      seen.add(k);
    }
  };

  const hospitals = new Map<string, Hospital>();
  unique(fx.hospitals, (h) => h.fixmedins_code, 'hospital');
  for (const h of fx.hospitals) {
    hospitals.set(h.fixmedins_code, {
      code: h.fixmedins_code,
      name: h.fixmedins_name,
      admdvs: h.admdvs,
      level: h.level,
      networkedInProvince: h.networked_in_province,
      networkedCrossProvince: h.networked_cross_province,
    });
  }

  const catalogue = new Map<string, CatalogueItem>();
  unique(fx.catalogue, (c) => c.med_list_codg, 'catalogue entry');
  for (const c of fx.catalogue) {
    const uplmt = c.pric_uplmt === undefined ? null : parseScaledDecimal(c.pric_uplmt, 6);
    const prop = c.selfpay_prop === undefined ? null : parseScaledDecimal(c.selfpay_prop, 4);
    if (c.pric_uplmt !== undefined && uplmt === null) problems.push(`catalogue ${c.med_list_codg}: pric_uplmt has more than 6 decimals`);
    if (c.selfpay_prop !== undefined && (prop === null || prop > 10_000n)) problems.push(`catalogue ${c.med_list_codg}: selfpay_prop must be 0–1 with at most 4 decimals`);
    catalogue.set(c.med_list_codg, {
      medListCodg: c.med_list_codg,
      name: c.name,
      medChrgitmType: c.med_chrgitm_type,
      chrgitmLv: c.chrgitm_lv,
      pricUplmtE6: uplmt,
      selfpayPropE4: prop === null ? null : Number(prop),
      pricUplmt: c.pric_uplmt ?? null,
      selfpayProp: c.selfpay_prop ?? null,
      spec: c.spec ?? '',
      unit: c.unit ?? '',
    });
  }

  const peopleByKey = new Map(people.data.people.map((p) => [p.key, p]));
  unique(fx.persons, (p) => p.key, 'person key');
  unique(fx.persons, (p) => p.psn_no, 'psn_no');
  unique(fx.persons.filter((p) => p.ecToken), (p) => p.ecToken ?? '', 'ecToken');
  unique(fx.persons.flatMap((p) => p.filings), (f) => f.trt_dcla_detl_sn, 'trt_dcla_detl_sn');
  unique(fx.persons.flatMap((p) => p.registrations), (r) => r.reg_id, 'reg_id');
  unique(fx.persons.flatMap((p) => p.openAdmissions), (a) => a.mdtrt_id, 'mdtrt_id');

  const persons = new Map<string, Person>();
  for (const pf of fx.persons) {
    const pp = peopleByKey.get(pf.key);
    const where = `person ${pf.key}`;
    if (!pp) {
      problems.push(`${where}: no such key in ${fx.peopleFile}`);
      continue;
    }
    const cards: Card[] = pp.cards.map((c) => ({ ...c, provincial: pf.cardFacts[c.cardSn]?.provincial ?? true }));
    for (const sn of Object.keys(pf.cardFacts)) {
      if (!cards.some((c) => c.cardSn === sn)) problems.push(`${where}: cardFacts names card ${sn} the person does not have`);
    }
    if (cards.filter((c) => c.current).length > 1) problems.push(`${where}: more than one current card`);
    const insurances = pf.insurances.map((r) => ({
      insutype: r.insutype,
      psnType: r.psn_type,
      psnInsuStas: r.psn_insu_stas,
      psnInsuDate: r.psn_insu_date,
      pausInsuDate: r.paus_insu_date,
      cvlservFlag: r.cvlserv_flag,
      empName: r.emp_name,
      insuplcAdmdvs: r.insuplc_admdvs ?? pp.insuredArea,
      waitingPeriod: r.waitingPeriod,
      balcFen: r.balcFen,
    }));
    unique(insurances, (r) => r.insutype, `${where} insutype`);
    for (const r of insurances) {
      if (!parameters.regions[r.insuplcAdmdvs]?.insutypes[r.insutype]) {
        problems.push(`${where}: parameters have no rules for insured place ${r.insuplcAdmdvs} insutype ${r.insutype}`);
      }
    }
    for (const y of pf.yearToDate) {
      if (!insurances.some((r) => r.insutype === y.insutype)) problems.push(`${where}: yearToDate for insutype ${y.insutype} without an insurance row`);
    }
    for (const r of pf.registrations) {
      if (!cards.some((c) => c.cardSn === r.card_sn)) problems.push(`${where}: registration ${r.reg_id} names card ${r.card_sn} the person does not have`);
      if (!groupContainingBoth(r.insu_admdvs, r.trt_admdvs, parameters.poolingGroups) || r.insu_admdvs === r.trt_admdvs) {
        problems.push(`${where}: registration ${r.reg_id} areas ${r.insu_admdvs}→${r.trt_admdvs} are not two areas of one pooling group`);
      }
    }
    for (const a of pf.openAdmissions) {
      if (!hospitals.has(a.fixmedins_code)) problems.push(`${where}: open admission ${a.mdtrt_id} at unknown hospital ${a.fixmedins_code}`);
    }
    persons.set(pf.psn_no, {
      key: pf.key,
      psnNo: pf.psn_no,
      name: pp.name,
      certno: pp.certno,
      gender: pp.gender,
      nation: pp.nation,
      birthDate: pp.birthDate,
      insuredArea: pp.insuredArea,
      ecToken: pf.ecToken ?? null,
      cards,
      insurances,
      identities: pf.identities.map((i) => ({ psnIdetType: i.psn_idet_type, psnTypeLv: i.psn_type_lv, memo: i.memo, begntime: i.begntime, endtime: i.endtime })),
      yearToDate: pf.yearToDate,
      filings: pf.filings.map((f) => ({ ...f, psn_no: pf.psn_no })),
      registrations: pf.registrations.map((r) => ({ ...r, psn_no: pf.psn_no })),
      openAdmissions: pf.openAdmissions.map((a) => ({
        mdtrtId: a.mdtrt_id,
        fixmedinsCode: a.fixmedins_code,
        insutype: a.insutype,
        medType: a.med_type,
        begntime: a.begntime,
        iptOtpNo: a.ipt_otp_no,
      })),
    });
  }
  if (problems.length > 0) throw new FixtureError(file, problems);

  const personByCertno = new Map<string, Person>();
  const personByEcToken = new Map<string, Person>();
  const cardBySn = new Map<string, { person: Person; card: Card }>();
  const cardByNo = new Map<string, { person: Person; card: Card }>();
  for (const p of persons.values()) {
    personByCertno.set(p.certno, p);
    if (p.ecToken) personByEcToken.set(p.ecToken, p);
    for (const card of p.cards) {
      cardBySn.set(card.cardSn, { person: p, card });
      cardByNo.set(card.cardNo, { person: p, card });
    }
  }

  return {
    parameters,
    csb: { required: fx.csb.required, secrets: new Map(fx.csb.credentials.map((c) => [c.accessKey, c.secretKey])) },
    hospitals,
    catalogue,
    persons,
    personByCertno,
    personByEcToken,
    cardBySn,
    cardByNo,
  };
}
