import type { Migration } from './migration.ts';

/**
 * The domain tables of the front desk. Conventions:
 * - money is INTEGER fen, columns named *_fen;
 * - instants written by the terminal are INTEGER epoch milliseconds, columns named *_at;
 * - values that travel to or from the platform keep their national names and wire format
 *   (begntime as 'yyyy-MM-dd HH:mm:ss' China time, cnt as the decimal string sent).
 */
export const migration001: Migration = {
  version: 1,
  name: 'core tables: operators, sign-ins, persons, cards, eligibility, admissions, fees, money, settlements',
  up(db) {
    db.exec(`
      CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      );

      -- Staff and the self-service terminal itself (opter). Not patient data.
      CREATE TABLE operators (
        opter_no TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      -- 9001 签到: one sign_no per operator per China calendar day.
      CREATE TABLE sign_ins (
        opter_no TEXT NOT NULL REFERENCES operators(opter_no),
        sign_day TEXT NOT NULL CHECK (sign_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        sign_no TEXT NOT NULL,
        sign_time TEXT NOT NULL,
        signed_out_at INTEGER,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (opter_no, sign_day)
      );

      -- 1101 results, cached for offline eligibility. Personal data: purged by retention.
      CREATE TABLE persons (
        psn_no TEXT PRIMARY KEY,
        psn_cert_type TEXT,
        certno TEXT,
        psn_name TEXT,
        insuplc_admdvs TEXT,
        info_json TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      );
      CREATE INDEX persons_by_certno ON persons(certno);

      -- Cards read at this terminal. Personal data: purged by retention.
      CREATE TABLE cards_seen (
        id INTEGER PRIMARY KEY,
        card_no TEXT NOT NULL,
        card_sn TEXT,
        certno TEXT NOT NULL,
        psn_name TEXT NOT NULL,
        region_code TEXT,
        generation INTEGER,
        expiry_date TEXT,
        psn_no TEXT,
        seen_at INTEGER NOT NULL
      );
      CREATE INDEX cards_seen_by_card ON cards_seen(card_no, seen_at);
      CREATE INDEX cards_seen_by_time ON cards_seen(seen_at);

      -- Eligibility decisions (EligibilityDecision JSON). Offline, a snapshot younger than the configured age
      -- answers instead of the platform, labelled as cached.
      CREATE TABLE eligibility_snapshots (
        check_id TEXT PRIMARY KEY,
        psn_no TEXT NOT NULL,
        mdtrt_cert_type TEXT NOT NULL,
        mdtrt_cert_no TEXT NOT NULL,
        insutype TEXT,
        admission_type TEXT NOT NULL CHECK (admission_type IN ('normal', 'emergency')),
        decision_json TEXT NOT NULL,
        checked_at INTEGER NOT NULL
      );
      CREATE INDEX eligibility_by_cert ON eligibility_snapshots(mdtrt_cert_type, mdtrt_cert_no, checked_at);
      CREATE INDEX eligibility_by_psn ON eligibility_snapshots(psn_no, checked_at);

      -- Counters for locally generated numbers (ipt_no per year).
      CREATE TABLE local_numbers (
        series TEXT NOT NULL,
        year INTEGER NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (series, year)
      );

      -- 入院登记. ipt_no is made here and exists offline; mdtrt_id arrives with 2401.
      CREATE TABLE admissions (
        ipt_no TEXT PRIMARY KEY,
        psn_no TEXT NOT NULL,
        insutype TEXT NOT NULL,
        insuplc_admdvs TEXT NOT NULL,
        check_id TEXT REFERENCES eligibility_snapshots(check_id) ON DELETE SET NULL,
        mdtrt_id TEXT UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('queued', 'admitted', 'cancelled', 'discharged', 'settled', 'dead-letter')),
        med_type TEXT NOT NULL,
        admission_type TEXT NOT NULL CHECK (admission_type IN ('normal', 'emergency')),
        dept_code TEXT NOT NULL,
        dept_name TEXT NOT NULL,
        ward TEXT NOT NULL,
        bed TEXT NOT NULL,
        atddr_no TEXT NOT NULL,
        chfpdr_name TEXT NOT NULL,
        diag_code TEXT NOT NULL,
        diag_name TEXT NOT NULL,
        begntime TEXT NOT NULL,
        endtime TEXT,
        direct INTEGER NOT NULL DEFAULT 1 CHECK (direct IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX admissions_by_psn ON admissions(psn_no);
      CREATE INDEX admissions_by_status ON admissions(status, updated_at);

      -- 费用明细. feedetl_sn is unique within one visit (the platform's rule for 2301).
      CREATE TABLE fee_lines (
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        feedetl_sn TEXT NOT NULL,
        init_feedetl_sn TEXT,
        med_list_codg TEXT NOT NULL,
        medins_list_codg TEXT NOT NULL,
        name TEXT NOT NULL,
        chrgitm_type TEXT NOT NULL,
        chrgitm_lv TEXT,
        cnt TEXT NOT NULL CHECK (cnt GLOB '*[0-9]*' AND cnt NOT GLOB '*[^0-9.-]*'),
        pric_fen INTEGER NOT NULL,
        det_item_fee_sumamt_fen INTEGER NOT NULL,
        fee_ocur_time TEXT NOT NULL,
        bilg_dept_codg TEXT,
        bilg_dr_codg TEXT,
        state TEXT NOT NULL CHECK (state IN ('local', 'uploaded', 'refused', 'cancelled')),
        refusal TEXT,
        fulamt_ownpay_fen INTEGER,
        overlmt_selfpay_fen INTEGER,
        preselfpay_fen INTEGER,
        inscp_scp_fen INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (ipt_no, feedetl_sn)
      );

      -- 预交金 and balance collected at settlement (应补).
      CREATE TABLE deposits (
        id INTEGER PRIMARY KEY,
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        kind TEXT NOT NULL CHECK (kind IN ('deposit', 'balance-due')),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        method TEXT NOT NULL,
        receipt_no TEXT NOT NULL UNIQUE,
        opter_no TEXT,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX deposits_by_visit ON deposits(ipt_no);

      -- 医保结算. msgid = medins_setl_id, the settlement key and the 2601 key. One live settlement per visit.
      CREATE TABLE settlements (
        id INTEGER PRIMARY KEY,
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        mdtrt_id TEXT,
        psn_no TEXT NOT NULL,
        insutype TEXT NOT NULL,
        msgid TEXT UNIQUE,
        setl_id TEXT UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'reversed', 'failed')),
        medfee_sumamt_fen INTEGER NOT NULL DEFAULT 0,
        fulamt_ownpay_amt_fen INTEGER NOT NULL DEFAULT 0,
        overlmt_selfpay_fen INTEGER NOT NULL DEFAULT 0,
        preselfpay_amt_fen INTEGER NOT NULL DEFAULT 0,
        inscp_scp_amt_fen INTEGER NOT NULL DEFAULT 0,
        act_pay_dedc_fen INTEGER NOT NULL DEFAULT 0,
        hifp_pay_fen INTEGER NOT NULL DEFAULT 0,
        cvlserv_pay_fen INTEGER NOT NULL DEFAULT 0,
        hifes_pay_fen INTEGER NOT NULL DEFAULT 0,
        hifmi_pay_fen INTEGER NOT NULL DEFAULT 0,
        hifob_pay_fen INTEGER NOT NULL DEFAULT 0,
        maf_pay_fen INTEGER NOT NULL DEFAULT 0,
        oth_pay_fen INTEGER NOT NULL DEFAULT 0,
        fund_pay_sumamt_fen INTEGER NOT NULL DEFAULT 0,
        psn_part_amt_fen INTEGER NOT NULL DEFAULT 0,
        acct_pay_fen INTEGER NOT NULL DEFAULT 0,
        psn_cash_pay_fen INTEGER NOT NULL DEFAULT 0,
        hosp_part_amt_fen INTEGER NOT NULL DEFAULT 0,
        balc_fen INTEGER,
        deposit_fen INTEGER NOT NULL DEFAULT 0,
        due_fen INTEGER NOT NULL DEFAULT 0,
        setl_time TEXT,
        output_json TEXT,
        reversal_reason TEXT,
        reversed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX settlements_one_live_per_visit ON settlements(ipt_no) WHERE status IN ('pending', 'settled');

      -- 退款: the refund of 多退少补, of a cancelled admission's deposits, or after a reversal.
      CREATE TABLE refunds (
        id INTEGER PRIMARY KEY,
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        settlement_id INTEGER REFERENCES settlements(id),
        reason TEXT NOT NULL CHECK (reason IN ('settlement', 'cancellation', 'reversal')),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        method TEXT NOT NULL,
        receipt_no TEXT NOT NULL UNIQUE,
        opter_no TEXT,
        refunded_at INTEGER NOT NULL
      );
      CREATE INDEX refunds_by_visit ON refunds(ipt_no);
    `);
  },
};
