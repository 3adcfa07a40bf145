import type { z } from 'zod';
import { PlatformBadResponseError, PlatformRefusedError, type CallContext } from './errors.ts';
import { jsonDepthExceeds, MAX_REPLY_DEPTH } from './json-depth.ts';

/**
 * The response envelope (输出): infcode 0 成功 / -1 失败 (samples send a number, some gateways a string),
 * err_msg, output, and the receiver's references. Everything here is untrusted input: any deviation is a
 * typed error, never a crash. Read with plain checks rather than a schema: an object with an infcode that is a
 * number or a string is all the envelope requires (every other field is optional and read as text or passed on
 * as it came), and this runs for every answer the relay drains.
 */
interface ResponseEnvelope {
  infcode: number | string;
  err_msg?: unknown;
  warn_msg?: unknown;
  inf_refmsgid?: unknown;
  refmsg_time?: unknown;
  respond_time?: unknown;
  output?: unknown;
}

/** Why a parsed body is not a response envelope, or null when it is one. */
function envelopeProblem(json: unknown): string | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return `(root): expected an object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`;
  const infcode = (json as { infcode?: unknown }).infcode;
  if (typeof infcode !== 'number' && typeof infcode !== 'string') return `infcode: expected a number or a string, got ${infcode === undefined ? 'nothing' : infcode === null ? 'null' : typeof infcode}`;
  return null;
}

export interface ResponseMeta {
  /** 接收方报文ID: receiver's area (6) + time (14) + serial (10). */
  inf_refmsgid: string | null;
  refmsg_time: string | null;
  respond_time: string | null;
  warn_msg: string | null;
}

export interface PlatformSuccess {
  output: unknown;
  meta: ResponseMeta;
}

// Control characters and bidi overrides could garble a screen or a log line; the text is shown to people.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Platform text made safe to show and log: no control characters, at most `max` characters. */
export function cleanPlatformText(value: unknown, max = 200): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) return '';
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else return '';
  const clean = text.replace(UNSAFE_TEXT, ' ').trim();
  // No more UTF-16 units than `max`, so no more characters either: nothing to cut (the common case, no array).
  if (clean.length <= max) return clean;
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean;
}

function optionalText(value: unknown): string | null {
  const text = cleanPlatformText(value, 100);
  return text === '' ? null : text;
}

export function parseInfcode(value: number | string): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  const text = value.trim();
  return /^[+-]?\d{1,9}$/.test(text) ? Number(text) : null;
}

/**
 * Reads a response body. Returns the output on infcode 0; throws PlatformRefusedError on any other infcode
 * and PlatformBadResponseError when the body is not a response envelope, or nests deeper than any reply does
 * (the transport already bounds its size: config http.maxResponseBytes).
 */
export function parseResponseBody(body: string, context: CallContext): PlatformSuccess {
  if (jsonDepthExceeds(body, MAX_REPLY_DEPTH)) {
    throw new PlatformBadResponseError(context, `body nested deeper than ${MAX_REPLY_DEPTH} levels (${body.length} characters)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new PlatformBadResponseError(context, `body is not JSON (${body.length} characters)`, { cause: e });
  }
  const problem = envelopeProblem(json);
  if (problem !== null) throw new PlatformBadResponseError(context, `not a response envelope: ${problem}`);
  const envelope = json as ResponseEnvelope;
  const infcode = parseInfcode(envelope.infcode);
  if (infcode === null) throw new PlatformBadResponseError(context, 'infcode is not an integer');
  const meta: ResponseMeta = {
    inf_refmsgid: optionalText(envelope.inf_refmsgid),
    refmsg_time: optionalText(envelope.refmsg_time),
    respond_time: optionalText(envelope.respond_time),
    warn_msg: optionalText(envelope.warn_msg),
  };
  if (infcode !== 0) throw new PlatformRefusedError(context, infcode, cleanPlatformText(envelope.err_msg));
  return { output: envelope.output ?? null, meta };
}

/** Zod issues as one line of paths and messages, without the offending values (they may be personal data). */
export function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
