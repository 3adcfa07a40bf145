/**
 * The sandbox platform's durable state, one forward-only migration per schema version. Fixtures hold the
 * world as it was; these tables hold what happened since: every msgid answered, what took effect (journal),
 * sign-ins, admissions, fee lines, settlements, balances, and what the admin endpoint changed.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

  -- One row per msgid of a mutating transaction: the response it got, replayed verbatim on a repeat.
  -- input_hash NULL marks a msgid reversed by 2601 before it ever arrived (it will be refused).
  CREATE TABLE messages (
    msgid TEXT PRIMARY KEY,
    infno TEXT NOT NULL,
    input_hash TEXT,
    psn_no TEXT,
    response TEXT NOT NULL,
    took_effect INTEGER NOT NULL,
    reversed_by TEXT,
    received_at TEXT NOT NULL
  );

  -- Every transaction that took effect, in order.
  CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    msgid TEXT NOT NULL,
    infno TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    psn_no TEXT,
    mdtrt_id TEXT,
    ipt_no TEXT,
    setl_id TEXT,
    omsgid TEXT,
    oinfno TEXT,
    time TEXT NOT NULL
  );
  CREATE INDEX journal_msgid ON journal (msgid);

  CREATE TABLE sign_ins (
    sign_no TEXT PRIMARY KEY,
    opter_no TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    sign_time TEXT NOT NULL,
    signed_out_at TEXT
  );

  CREATE TABLE admissions (
    mdtrt_id TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    ipt_no TEXT NOT NULL,
    med_type TEXT NOT NULL,
    begntime TEXT NOT NULL,
    emergency INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in', 'out', 'cancelled')),
    endtime TEXT,
    mdtrt_cert_type TEXT NOT NULL,
    mdtrt_cert_no TEXT NOT NULL,
    detail TEXT NOT NULL,
    msgid TEXT NOT NULL
  );
  CREATE INDEX admissions_psn ON admissions (psn_no);

  CREATE TABLE fee_lines (
    mdtrt_id TEXT NOT NULL,
    feedetl_sn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    content_hash TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    cnt_e4 TEXT NOT NULL,
    init_feedetl_sn TEXT,
    med_list_codg TEXT NOT NULL,
    line TEXT NOT NULL,
    result TEXT NOT NULL,
    msgid TEXT NOT NULL,
    PRIMARY KEY (mdtrt_id, feedetl_sn)
  );

  -- kind settle (2304) or refund (2305, negative amounts). status: valid, refunded (by 2305), reversed (2601).
  CREATE TABLE settlements (
    setl_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('settle', 'refund')),
    init_setl_id TEXT,
    mdtrt_id TEXT NOT NULL,
    psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL,
    insuplc_admdvs TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    msgid TEXT NOT NULL,
    setl_time TEXT NOT NULL,
    year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'refunded', 'reversed')),
    medfee_fen INTEGER NOT NULL,
    inscp_fen INTEGER NOT NULL,
    hifp_fen INTEGER NOT NULL,
    fund_fen INTEGER NOT NULL,
    acct_fen INTEGER NOT NULL,
    cash_fen INTEGER NOT NULL,
    output TEXT NOT NULL
  );
  CREATE INDEX settlements_mdtrt ON settlements (mdtrt_id);
  CREATE INDEX settlements_psn ON settlements (psn_no, insutype, year);

  CREATE TABLE account_balances (
    psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL,
    balc_fen INTEGER NOT NULL,
    PRIMARY KEY (psn_no, insutype)
  );

  -- Filings and registrations added through the admin endpoint; vali_flag changes of fixture ones.
  CREATE TABLE filings (
    trt_dcla_detl_sn TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL,
    dcla_type TEXT NOT NULL,
    mdtrtarea_admdvs TEXT NOT NULL,
    begndate TEXT NOT NULL,
    enddate TEXT,
    crte_time TEXT NOT NULL,
    vali_flag TEXT NOT NULL
  );
  CREATE TABLE registrations (
    reg_id TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL,
    insu_admdvs TEXT NOT NULL,
    trt_admdvs TEXT NOT NULL,
    card_sn TEXT NOT NULL,
    begndate TEXT NOT NULL,
    vali_flag TEXT NOT NULL
  );
  CREATE TABLE vali_flag_overrides (kind TEXT NOT NULL, id TEXT NOT NULL, vali_flag TEXT NOT NULL, PRIMARY KEY (kind, id));

  -- Person facts set through the admin endpoint.
  CREATE TABLE card_status_overrides (card_sn TEXT PRIMARY KEY, status TEXT NOT NULL);
  CREATE TABLE insurance_status_overrides (psn_no TEXT NOT NULL, insutype TEXT NOT NULL, psn_insu_stas TEXT NOT NULL, PRIMARY KEY (psn_no, insutype));
  `,
  `
  -- 2: the split of each line in columns, so settlement sums them without parsing JSON; MAX(seq) by index.
  ALTER TABLE fee_lines ADD COLUMN fulamt_fen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE fee_lines ADD COLUMN overlmt_fen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE fee_lines ADD COLUMN preselfpay_fen INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE fee_lines ADD COLUMN inscp_fen INTEGER NOT NULL DEFAULT 0;
  UPDATE fee_lines SET
    fulamt_fen = json_extract(result, '$.split.fulamtOwnpayFen'),
    overlmt_fen = json_extract(result, '$.split.overlmtSelfpayFen'),
    preselfpay_fen = json_extract(result, '$.split.preselfpayFen'),
    inscp_fen = json_extract(result, '$.split.inscpFen');
  CREATE INDEX fee_lines_visit_seq ON fee_lines (mdtrt_id, seq);
  `,
  `
  -- 3: persons whose settlement (2304) the platform gives only with the card PIN (some regions ask; the 2303
  -- answer says so in exp_content.pwd_chk_flag, docs/settlement.md). Set through the admin endpoint.
  CREATE TABLE pin_at_settlement (psn_no TEXT PRIMARY KEY);
  `,
];
