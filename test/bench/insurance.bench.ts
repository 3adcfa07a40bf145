/**
 * Insurance client figures (issue 4): the discharge of a 2,000-line bill on loopback — upload (2301 in
 * batches of 50) + 2303 + 2304 — through the client against the sandbox platform, and the same requests sent
 * by a bare HTTP loop in the same run (pre-serialised bodies, one keep-alive agent, JSON.parse of each answer
 * and an infcode check: the floor any client pays). Goal: client median ≤ 1.3 × bare median.
 * Each iteration is a fresh admission of the same person (untimed); client and bare runs alternate in pairs.
 * A second figure replays the sandbox's answers from a canned local server, so the platform costs almost
 * nothing and the ratio shows the client's own overhead (envelopes, msgids, zod on every answer, fen).
 * Run alone: npm exec -- tsx test/bench/insurance.bench.ts
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  InMemoryMsgidSequence,
  InMemoryReversalJournal,
  InMemorySignInStore,
  PlatformClient,
  preSettle,
  selfServiceOperator,
  settle,
  uploadFeeDetails,
  type FeeDetail,
  type SettlementInput,
} from '../../insurance/client/index.ts';
import { systemClock } from '../../base/clock.ts';
import { chinaDateTime, chinaDay } from '../../base/china-time.ts';
import { fenToYuan } from '../../base/fen.ts';
import { startTestSandbox } from '../../insurance/sandbox/testing.ts';
import { admitPatient, buildBill, identify, settlementInput, type Patient } from '../integration/insurance/client/sandbox-journey.ts';
import { runWhenMain } from './run-alone.ts';

const LINES = 2_000;
const BATCH = 50;
const ITERATIONS = 15; // measured per side, after one warm-up each
const HOSPITAL = { fixmedinsCode: 'H32020000001', fixmedinsName: '无锡市第一人民医院', mdtrtareaAdmvs: '320200' };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** The wire form of a fee line, as the client sends it (national names, yuan strings). */
function wireLine(l: FeeDetail, p: Patient, mdtrtId: string): Record<string, unknown> {
  const { det_item_fee_sumamt, cnt, pric, ...rest } = l;
  return { ...rest, init_feedetl_sn: '', mdtrt_id: mdtrtId, psn_no: p.psn_no, det_item_fee_sumamt: fenToYuan(det_item_fee_sumamt), cnt: String(cnt), pric: fenToYuan(pric) };
}

function wireSettlement(input: SettlementInput & { insuplc_admdvs?: string }): Record<string, unknown> {
  const { insuplc_admdvs: _envelopeField, ...s } = input;
  return {
    ...s,
    medfee_sumamt: fenToYuan(s.medfee_sumamt),
    fulamt_ownpay_amt: fenToYuan(s.fulamt_ownpay_amt),
    overlmt_selfpay: fenToYuan(s.overlmt_selfpay),
    preselfpay_amt: fenToYuan(s.preselfpay_amt),
    inscp_scp_amt: fenToYuan(s.inscp_scp_amt),
    invono: '',
  };
}

function post(agent: http.Agent, url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const sandbox = await startTestSandbox();
  const msgids = new InMemoryMsgidSequence(HOSPITAL.fixmedinsCode);
  const signIns = new InMemorySignInStore();
  const operator = selfServiceOperator('ZZJ01', '前台终端01');
  const client = new PlatformClient(
    { url: sandbox.endpoint, ...HOSPITAL, operator, signInAddress: { ip: '127.0.0.1', mac: '00-00-00-00-00-00' } },
    { msgids, signIns, reversals: new InMemoryReversalJournal(), clock: systemClock },
  );
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const endpoint = new URL(sandbox.endpoint);
  try {
    const patient = await identify(client, 'local-employee');
    const signNo = (await client.ensureSignedIn(operator)).sign_no;
    const bill = buildBill(LINES);
    let stay = 0;
    let settlementTemplate: ReturnType<typeof settlementInput> | null = null;

    const clientRun = async (): Promise<number> => {
      const mdtrtId = await admitPatient(client, patient, `BENCH${String(++stay).padStart(5, '0')}`);
      const started = performance.now();
      const upload = await uploadFeeDetails(client, { psn_no: patient.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: patient.insuplc_admdvs, feedetail: bill }, { batchSize: BATCH });
      const input = settlementInput(patient, mdtrtId, upload.result);
      await preSettle(client, input);
      await settle(client, input);
      const ms = performance.now() - started;
      if (upload.result.length !== LINES || upload.refused.length !== 0) throw new Error(`upload took ${upload.result.length} lines, refused ${upload.refused.length}`);
      settlementTemplate ??= input;
      return ms;
    };

    const canned = new Map<string, string>();
    const bareBodies = async (): Promise<string[]> => {
      const mdtrtId = await admitPatient(client, patient, `BENCH${String(++stay).padStart(5, '0')}`);
      if (!settlementTemplate) throw new Error('the client run comes first: it gives the bill totals');
      const envelope = (infno: string, input: unknown): string =>
        JSON.stringify({
          infno,
          msgid: msgids.next(new Date()),
          mdtrtarea_admvs: HOSPITAL.mdtrtareaAdmvs,
          insuplc_admdvs: patient.insuplc_admdvs,
          recer_sys_code: 'MBS',
          dev_no: '',
          dev_safe_info: '',
          cainfo: '',
          signtype: '',
          infver: 'V1.0',
          opter_type: operator.opter_type,
          opter: operator.opter,
          opter_name: operator.opter_name,
          inf_time: chinaDateTime(new Date()),
          fixmedins_code: HOSPITAL.fixmedinsCode,
          fixmedins_name: HOSPITAL.fixmedinsName,
          sign_no: signNo,
          input,
        });
      const bodies: string[] = [];
      for (let i = 0; i < bill.length; i += BATCH) bodies.push(envelope('2301', { feedetail: bill.slice(i, i + BATCH).map((l) => wireLine(l, patient, mdtrtId)) }));
      const data = wireSettlement({ ...settlementTemplate, mdtrt_id: mdtrtId });
      bodies.push(envelope('2303', { data }), envelope('2304', { data }));
      return bodies;
    };

    const bareLoop = async (url: URL, bodies: readonly string[], keep = false): Promise<number> => {
      const started = performance.now();
      for (const body of bodies) {
        const text = await post(bareAgent, url, body);
        const answer = JSON.parse(text) as { infcode: unknown; err_msg?: unknown };
        if (answer.infcode !== 0) throw new Error(`bare loop refused: ${String(answer.err_msg)}`);
        if (keep) canned.set((JSON.parse(body) as { infno: string }).infno, text);
      }
      return performance.now() - started;
    };
    const bareRun = async (keep = false): Promise<number> => bareLoop(endpoint, await bareBodies(), keep);

    await clientRun(); // warm-up (also gives the bill totals to the bare loop)
    await bareRun(true); // warm-up (also keeps one answer per infno for the canned platform)
    const clientMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      if (i % 2 === 0) {
        clientMs.push(await clientRun());
        bareMs.push(await bareRun());
      } else {
        bareMs.push(await bareRun());
        clientMs.push(await clientRun());
      }
    }
    const clientMedian = median(clientMs);
    const bareMedian = median(bareMs);
    const overhead = await cannedFigures(canned, signNo, await bareBodies(), patient, settlementTemplate!);
    return {
      what: 'upload (2301 ×40) + 2303 + 2304 of a 2,000-line bill on loopback against the sandbox',
      lines: LINES,
      batchSize: BATCH,
      requestsPerRun: Math.ceil(LINES / BATCH) + 2,
      iterations: ITERATIONS,
      clientMedianMs: round(clientMedian),
      bareLoopMedianMs: round(bareMedian),
      ratioClientToBare: round(clientMedian / bareMedian, 3),
      // The sandbox slows a little as its state grows; each client run sits next to a bare run, so the median
      // of the pairwise ratios is the figure least moved by that drift and by neighbours on a shared machine.
      pairwiseRatioMedian: round(median(clientMs.map((c, i) => c / bareMs[i]!)), 3),
      goalRatio: 1.3,
      clientSamplesMs: clientMs.map((x) => round(x)),
      bareLoopSamplesMs: bareMs.map((x) => round(x)),
      againstCannedPlatform: overhead,
      cpus: os.cpus().length,
    };
  } finally {
    client.close();
    bareAgent.destroy();
    await sandbox.close();
  }
}

/**
 * The same discharge against a local server that answers each infno with a canned sandbox answer: the client's
 * own overhead next to the bare loop's.
 */
async function cannedFigures(
  canned: ReadonlyMap<string, string>,
  signNo: string,
  bodies: readonly string[],
  patient: Patient,
  template: ReturnType<typeof settlementInput>,
): Promise<Record<string, unknown>> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const infno = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { infno: string }).infno;
      const body = canned.get(infno) ?? '{"infcode":-1,"err_msg":"no canned answer"}';
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  const operator = selfServiceOperator('ZZJ01', '前台终端01');
  const signIns = new InMemorySignInStore();
  const client = new PlatformClient(
    { url: url.href, ...HOSPITAL, operator, signInAddress: { ip: '127.0.0.1', mac: '00-00-00-00-00-00' } },
    { msgids: new InMemoryMsgidSequence(HOSPITAL.fixmedinsCode), signIns, reversals: new InMemoryReversalJournal(), clock: systemClock },
  );
  signIns.put({ opter: operator.opter, day: chinaDay(new Date()), sign_no: signNo, sign_time: chinaDateTime(new Date()) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const bill = buildBill(LINES);
  try {
    const clientMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < ITERATIONS + 1; i++) {
      let started = performance.now();
      const upload = await uploadFeeDetails(client, { psn_no: patient.psn_no, mdtrt_id: template.mdtrt_id, insuplc_admdvs: patient.insuplc_admdvs, feedetail: bill }, { batchSize: BATCH });
      await preSettle(client, template);
      await settle(client, template);
      const c = performance.now() - started;
      if (upload.result.length !== LINES) throw new Error('canned upload answered the wrong number of lines');
      started = performance.now();
      for (const body of bodies) {
        const answer = JSON.parse(await post(agent, url, body)) as { infcode: unknown };
        if (answer.infcode !== 0) throw new Error('canned answer refused');
      }
      const b = performance.now() - started;
      if (i > 0) {
        clientMs.push(c);
        bareMs.push(b);
      }
    }
    return {
      clientMedianMs: round(median(clientMs), 2),
      bareLoopMedianMs: round(median(bareMs), 2),
      ratioClientToBare: round(median(clientMs) / median(bareMs), 3),
    };
  } finally {
    client.close();
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

runWhenMain(import.meta.url, run);
