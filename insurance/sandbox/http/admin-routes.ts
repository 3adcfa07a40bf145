import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { chinaDateTime } from '../china-time.ts';
import { SandboxClock } from '../clock.ts';
import { AdminError } from '../admin/admin-error.ts';
import { cancelRecord, createFiling, createRegistration, NewFiling, NewRegistration } from '../admin/filings.ts';
import { describePerson, PersonFactsChange, setPersonFacts } from '../admin/person-facts.ts';
import type { EcVouchers } from '../ec/ec-vouchers.ts';
import type { SandboxState } from '../state/state.ts';
import type { World } from '../world/world.ts';
import { FaultSpec, type FaultInjector } from './faults.ts';
import { readBody } from './read-body.ts';

export interface AdminDeps {
  world: World;
  state: SandboxState;
  clock: SandboxClock;
  faults: FaultInjector;
  ecVouchers: EcVouchers;
}

const NewQr = z.union([z.object({ psn_no: z.string().min(1) }).strict(), z.object({ key: z.string().min(1) }).strict()]);

const ClockChange = z.union([
  z.object({ now: z.string().min(1), frozen: z.boolean().optional() }).strict(),
  z.object({ reset: z.literal(true) }).strict(),
]);
const ClearFaults = z.object({ seed: z.number().int().optional() }).strict();

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function json<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.output<T>> {
  const text = await readBody(req, 1 << 20);
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new AdminError(400, 'body is not JSON');
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new AdminError(400, r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return r.data;
}

function clockView(clock: SandboxClock) {
  const now = clock.now();
  return { now: now.toISOString(), china: chinaDateTime(now), frozen: clock.frozen };
}

/**
 * The loopback admin API under /admin/ (docs/sandbox.md "Admin API"): clock, faults, journal, filings,
 * registrations, person facts. The caller has already checked the peer is loopback.
 */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.replace(/\/+$/, '');
  const m = req.method ?? 'GET';
  const { world, state, clock, faults } = deps;
  try {
    if (path === '/admin/health' && m === 'GET') return send(res, 200, { ok: true, ...clockView(clock) });
    if (path === '/admin/clock' && m === 'GET') return send(res, 200, clockView(clock));
    if (path === '/admin/clock' && m === 'POST') {
      const c = await json(req, ClockChange);
      if ('reset' in c) clock.reset();
      else {
        let at: Date;
        try {
          at = SandboxClock.parse(c.now);
        } catch {
          throw new AdminError(400, `now: not an ISO time: ${c.now}`);
        }
        clock.set(at, c.frozen ?? false);
      }
      return send(res, 200, clockView(clock));
    }
    if (path === '/admin/faults' && m === 'GET') return send(res, 200, { faults: faults.list() });
    if (path === '/admin/faults' && m === 'POST') return send(res, 201, { fault: faults.add(await json(req, FaultSpec)) });
    if ((path === '/admin/faults' && m === 'DELETE') || (path === '/admin/faults/clear' && m === 'POST')) {
      const c = m === 'POST' ? await json(req, ClearFaults) : {};
      faults.clear(c.seed);
      return send(res, 200, { faults: [] });
    }
    if (path === '/admin/journal' && m === 'GET') {
      const q = url.searchParams;
      const after = q.get('after');
      const entries = state.journal.list({
        ...(q.get('psn_no') ? { psn_no: q.get('psn_no')! } : {}),
        ...(q.get('mdtrt_id') ? { mdtrt_id: q.get('mdtrt_id')! } : {}),
        ...(q.get('infno') ? { infno: q.get('infno')! } : {}),
        ...(after !== null && /^\d+$/.test(after) ? { afterSeq: Number(after) } : {}),
      });
      return send(res, 200, { entries });
    }
    // The patient's phone: a fresh 医保电子凭证 QR code (valid 60 s, once) and what the decode service saw.
    if (path === '/admin/ec/qr' && m === 'POST') {
      const q = await json(req, NewQr);
      const person = 'psn_no' in q ? world.persons.get(q.psn_no) : [...world.persons.values()].find((p) => p.key === q.key);
      if (!person || !person.ecToken) throw new AdminError(404, '该人员没有医保电子凭证');
      return send(res, 201, deps.ecVouchers.issue(person));
    }
    if (path === '/admin/ec/journal' && m === 'GET') return send(res, 200, deps.ecVouchers.journal());
    if (path === '/admin/filings' && m === 'POST') {
      const input = await json(req, NewFiling);
      return send(res, 201, { filing: state.transaction(() => createFiling(world, state, clock.now(), input)) });
    }
    if (path === '/admin/registrations' && m === 'POST') {
      const input = await json(req, NewRegistration);
      return send(res, 201, { registration: state.transaction(() => createRegistration(world, state, clock.now(), input)) });
    }
    const cancel = /^\/admin\/(filings|registrations)\/([^/]+)\/cancel$/.exec(path);
    if (cancel && m === 'POST') {
      cancelRecord(world, state, cancel[1] === 'filings' ? 'filing' : 'registration', decodeURIComponent(cancel[2]!));
      return send(res, 200, { ok: true });
    }
    const person = /^\/admin\/persons\/([^/]+)(\/facts)?$/.exec(path);
    if (person) {
      const psnNo = decodeURIComponent(person[1]!);
      if (!person[2] && m === 'GET') return send(res, 200, describePerson(world, state, psnNo, clock.now()));
      if (person[2] && m === 'POST') {
        setPersonFacts(world, state, psnNo, await json(req, PersonFactsChange));
        return send(res, 200, describePerson(world, state, psnNo, clock.now()));
      }
    }
    return send(res, 404, { error: `no admin route ${m} ${path}` });
  } catch (e) {
    if (e instanceof AdminError) return send(res, e.status, { error: e.message });
    return send(res, 500, { error: e instanceof Error ? e.message : String(e) });
  }
}
