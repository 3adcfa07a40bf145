import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelOf } from '../../../contract/define.ts';
import { KioskError } from '../../../contract/errors.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import { eventually } from './harness.ts';

/**
 * `npm start` where no pseudo-terminal exists (Windows): the demo's virtual reader runs over its in-process
 * HID link instead (KIOSK_DEMO_READER=hid forces that here), and a demo card still reads.
 */
let dir: string;
let t: Terminal;
const events: { name: string; payload: unknown }[] = [];

async function call<T>(group: string, method: string, args: unknown = {}): Promise<T> {
  const reply = await t.dispatcher.call(channelOf(group, method), args, { transport: 'memory' });
  if (!reply.ok) throw KioskError.fromDto(reply.error);
  return reply.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-demo-hid-'));
  process.env.KIOSK_DEMO_READER = 'hid';
  try {
    t = await createTerminal(loadConfig({ env: { KIOSK_METRICS_PORT: '0', KIOSK_DATA_DIR: dir, KIOSK_MODE: 'self-service' } }), { log: memoryLogger() });
  } finally {
    delete process.env.KIOSK_DEMO_READER;
  }
  t.dispatcher.subscribe((name, payload) => events.push({ name, payload }));
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('demo mode without a pseudo-terminal', () => {
  it('attaches the virtual reader over HID and reads a demo card', async () => {
    expect(t.parts.demo?.reader.link).toBe('hid');
    const readers = await eventually(async () => {
      const list = await call<{ link: string }[]>('reader', 'readers');
      return list.length > 0 ? list : undefined;
    }, 15_000, 'the virtual reader');
    expect(readers[0]!.link).toBe('hid');
    await call('demo', 'insertCard', { personKey: 'local-employee', generation: 3 });
    const read = await eventually(() => events.find((e) => e.name === 'card-read' || e.name === 'card-error'), 15_000, 'a card read');
    expect(read.name).toBe('card-read');
  });
});
