import { connect } from 'node:net';
import { z } from 'zod';
import { PlatformRefusedError, PlatformUnreachableError, ReversalPendingError, isPlatformError } from '../../insurance/client/errors.ts';
import type { Operator } from '../../insurance/client/envelope.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import { PlatformFailure, type PlatformPort, type PortRequest, type ReversalOutcome } from '../sync/platform-port.ts';

/**
 * The relay's PlatformPort on the national-interface client: an outbox item goes out as one client call under
 * its own msgid (the idempotency key), and the client's typed failures become the relay's failure kinds.
 * The probe is a TCP connect to the platform: cheap, no business effect, and exactly "is it reachable".
 */
export function clientRelayPort(client: PlatformClient, platformUrl: string, fallbackOperator: () => Operator): PlatformPort {
  const operatorOf = (req: PortRequest): Operator =>
    req.envelope.opter && req.envelope.opter_name && req.envelope.opter_type
      ? { opter: req.envelope.opter, opter_name: req.envelope.opter_name, opter_type: req.envelope.opter_type }
      : fallbackOperator();
  const target = new URL(platformUrl);
  return {
    async send(req) {
      try {
        const reply = await client.call(
          {
            infno: req.infno,
            input: req.input,
            msgid: req.msgid,
            visitKey: req.visitKey,
            operator: operatorOf(req),
            ...(req.psnNo ? { psn_no: req.psnNo } : {}),
            ...(req.envelope.insuplc_admdvs ? { insuplc_admdvs: req.envelope.insuplc_admdvs } : {}),
          },
          z.unknown(),
        );
        return reply.output;
      } catch (err) {
        throw toFailure(err);
      }
    },
    async reverse(req): Promise<ReversalOutcome> {
      try {
        const status = await client.reverseUnknownOutcome({
          infno: req.infno,
          msgid: req.msgid,
          psn_no: req.psnNo ?? '',
          insuplc_admdvs: req.envelope.insuplc_admdvs ?? '',
          visitKey: req.visitKey,
          operator: operatorOf(req),
        });
        return status === 'reversed' ? { status: 'reversed', reversalMsgid: null } : { status: 'pending', reversalMsgid: null, error: '冲正尚未得到平台应答' };
      } catch (err) {
        if (err instanceof PlatformRefusedError) return { status: 'refused', reversalMsgid: null, error: err.errMsg };
        return { status: 'pending', reversalMsgid: null, error: err instanceof Error ? err.message : String(err) };
      }
    },
    probe() {
      return new Promise<boolean>((resolve) => {
        const socket = connect(Number(target.port || 80), target.hostname);
        const done = (ok: boolean) => {
          socket.destroy();
          resolve(ok);
        };
        socket.setTimeout(2_000, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
      });
    },
  };
}

function toFailure(err: unknown): PlatformFailure {
  if (!isPlatformError(err)) return new PlatformFailure('unknown', err instanceof Error ? err.message : String(err), { cause: err });
  if (err instanceof PlatformUnreachableError) return new PlatformFailure('offline', err.code, { cause: err });
  if (err instanceof ReversalPendingError) return new PlatformFailure('blocked', err.message, { cause: err });
  if (err instanceof PlatformRefusedError) return new PlatformFailure('refused', err.errMsg || '平台未说明原因', { cause: err });
  if (err.kind === 'invalid-request') return new PlatformFailure('invalid', err.message, { cause: err });
  if (err.outcome === 'not-applied') return new PlatformFailure('offline', err.message, { cause: err });
  return new PlatformFailure('unknown', err.message, { cause: err, reversal: err.reversal });
}
