import { KioskError } from '../../contract/errors.ts';
import {
  FeeUploadIncompleteError,
  isPlatformError,
  PlatformHttpStatusError,
  PlatformRefusedError,
  ReversalPendingError,
  type PlatformError,
} from './errors.ts';
import { transactionInfo } from './infno-catalog.ts';

/**
 * The Chinese message and guidance of a platform failure, as the KioskError the services throw:
 *
 * - PLATFORM_OFFLINE: nothing happened on the platform (unreachable, turned away by the gateway) — or a
 *   query got no answer, where "unknown outcome" means nothing to the person at the desk;
 * - PLATFORM_OUTCOME_UNKNOWN: a transaction that changes state may have been applied; says whether the
 *   automatic reversal (2601) is done or still pending;
 * - PLATFORM_REFUSED: the platform said no (infcode ≠ 0), with its err_msg;
 * - NOT_SIGNED_IN: the 9001 sign-in itself failed;
 * - INTERNAL: a request that breaks an interface rule (a defect, details in the log).
 */
export function toKioskError(error: unknown): KioskError {
  if (error instanceof KioskError) return error;
  if (!isPlatformError(error)) return new KioskError('INTERNAL', '系统内部错误', ['请联系信息科'], { cause: error });
  if (error instanceof FeeUploadIncompleteError) {
    const inner = toKioskError(error.failure);
    return new KioskError(inner.code, `费用明细上传未完成（已上传${error.uploaded.length}/${error.totalCount}条）：${inner.message}`, inner.guidance, { cause: error });
  }
  const name = transactionInfo(error.infno).name;
  const effect = transactionInfo(error.infno).effect;

  if (error.infno === '9001' && error.kind !== 'invalid-request') {
    const base = describe(error, name, effect);
    return new KioskError('NOT_SIGNED_IN', `医保签到失败：${base.message}`, base.guidance, { cause: error });
  }
  const { code, message, guidance } = describe(error, name, effect);
  return new KioskError(code, message, guidance, { cause: error });
}

function describe(error: PlatformError, name: string, effect: 'read' | 'write' | 'reversible'): Pick<KioskError, 'code' | 'message' | 'guidance'> {
  switch (error.kind) {
    case 'unreachable':
      return {
        code: 'PLATFORM_OFFLINE',
        message: `无法连接医保平台，${name}未能发送`,
        guidance: ['请检查网络连接后重试', '网络恢复前，可登记的业务会先保存在本机，恢复后自动上传', '如持续无法连接，请联系信息科'],
      };
    case 'http-status':
      if (error.outcome === 'not-applied') {
        const status = error instanceof PlatformHttpStatusError ? error.status : 0;
        return {
          code: 'PLATFORM_OFFLINE',
          message: `医保接口拒绝了请求（HTTP ${status}），${name}未办理`,
          guidance: ['请联系信息科检查医保接口地址与网关凭据'],
        };
      }
      return unknownOutcome(error, name, effect);
    case 'timeout':
    case 'connection-lost':
    case 'bad-response':
      return unknownOutcome(error, name, effect);
    case 'refused': {
      const errMsg = error instanceof PlatformRefusedError && error.errMsg !== '' ? error.errMsg : '平台未说明原因';
      return { code: 'PLATFORM_REFUSED', message: `医保平台未受理${name}：${errMsg}`, guidance: ['请按提示处理后重试', '如有疑问，请联系医保办'] };
    }
    case 'reversal-pending': {
      const refused = error instanceof ReversalPendingError ? error.pending.find((p) => p.lastOutcome === 'refused') : undefined;
      return {
        code: 'PLATFORM_OUTCOME_UNKNOWN',
        message: '该患者上一笔医保交易结果未明，正在自动冲正，冲正完成前不能继续办理',
        guidance: refused
          ? ['医保平台拒绝了冲正，请联系医保办核对（对明细账）后处理']
          : ['请稍后重试；网络恢复后系统会自动完成冲正', '如长时间未完成，请联系医保办'],
      };
    }
    case 'invalid-request':
    case 'fee-upload-incomplete':
      return { code: 'INTERNAL', message: '系统内部错误，医保交易未发送', guidance: ['请联系信息科'] };
  }
}

function unknownOutcome(error: PlatformError, name: string, effect: 'read' | 'write' | 'reversible'): Pick<KioskError, 'code' | 'message' | 'guidance'> {
  if (effect === 'read') {
    return { code: 'PLATFORM_OFFLINE', message: `医保平台暂时无响应，${name}未完成`, guidance: ['请稍后重试', '如持续无响应，请联系信息科'] };
  }
  if (error.reversal === 'reversed') {
    return {
      code: 'PLATFORM_OUTCOME_UNKNOWN',
      message: `医保平台未及时响应，${name}结果不明，系统已自动冲正（撤销）该笔交易`,
      guidance: ['该笔交易未生效，请重新办理'],
    };
  }
  if (error.reversal === 'pending') {
    return {
      code: 'PLATFORM_OUTCOME_UNKNOWN',
      message: `医保平台未及时响应，${name}结果不明，系统将自动冲正（撤销）该笔交易`,
      guidance: ['冲正完成前不能继续办理该患者的医保业务', '请稍后重试；网络恢复后系统会自动完成冲正'],
    };
  }
  return {
    code: 'PLATFORM_OUTCOME_UNKNOWN',
    message: `医保平台未及时响应，${name}结果不明`,
    guidance: ['请稍后重试，系统会按原报文重发，不会重复办理'],
  };
}
