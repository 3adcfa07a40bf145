import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import { maskName } from '../../contract/mask.ts';
import type { Connectivity } from '../status/connectivity.ts';
import type { DemoWorld } from './demo-world.ts';

/**
 * The demo panel (demo mode only): the people of the demo world, a virtual card of any of them into the
 * virtual reader (through its control API, so the terminal reads it over the real serial link), and the
 * network switch. Outside demo mode every method answers NOT_AVAILABLE.
 */
export function createDemoGroup(world: DemoWorld, connectivity: Connectivity): KioskServices['demo'] {
  return {
    people: async () => demoPeople(world),
    insertCard: async ({ personKey, generation }) => {
      const id = cardIdOf(world, personKey, generation);
      // Like a person swapping cards: whatever is in the reader comes out first.
      if ((await world.control.state()).card !== null) await world.control.remove();
      await world.control.insert(id);
      return { ok: true as const };
    },
    removeCard: async () => {
      await world.control.remove();
      return { ok: true as const };
    },
    idCards: async () => [...idCardReaderOf(world).catalog.values()].map((c) => ({ id: c.id, label: c.label })),
    placeIdCard: async ({ cardId }) => {
      const reader = idCardReaderOf(world);
      reader.remove();
      if (cardId !== null) {
        if (!reader.catalog.has(cardId)) throw new KioskError('INVALID_ARGUMENT', `没有演示身份证 ${cardId}`, []);
        reader.place(cardId);
      }
      return { ok: true as const };
    },
    phonePays: async ({ qrCode, outTradeNo, action }) => {
      await phone(world, '/admin/scan', { ...(qrCode ? { qrCode } : {}), ...(outTradeNo ? { outTradeNo } : {}), action });
      return { ok: true as const };
    },
    phoneShowsCode: async ({ behaviour }) => (await phone(world, '/admin/payment-codes', { behaviour })) as { authCode: string },
    setNetwork: async ({ online }) => {
      await world.network.setOnline(online);
      // Tell the status bar now rather than at the next failed call, and let the relay drain when back.
      connectivity.note(online);
      return { ok: true as const };
    },
  };
}

function idCardReaderOf(world: DemoWorld): NonNullable<DemoWorld['idCardReader']> {
  if (!world.idCardReader) throw new KioskError('NOT_AVAILABLE', '本机没有虚拟身份证阅读器（需要伪终端）', []);
  return world.idCardReader;
}

export function demoUnavailableGroup(): KioskServices['demo'] {
  const no = async (): Promise<never> => {
    throw new KioskError('NOT_AVAILABLE', '演示面板只在演示模式下可用', []);
  };
  return { people: no, insertCard: no, removeCard: no, idCards: no, placeIdCard: no, phonePays: no, phoneShowsCode: no, setNetwork: no };
}

/** The simulated phone: the payment sandbox's loopback admin API. */
async function phone(world: DemoWorld, path: string, body: object): Promise<unknown> {
  const res = await fetch(`${world.payments.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  const answer = (await res.json()) as { error?: string };
  if (!res.ok) throw new KioskError('INVALID_ARGUMENT', `模拟手机操作未完成：${answer.error ?? res.status}`, []);
  return answer;
}

/**
 * Demo people: each fixture person (key), their replaced card as `<key>/old`, and the special cards (an old
 * 市民卡 without SSSE, a damaged chip…) under their card id. Names are masked like every kiosk screen.
 */
export function demoPeople(world: DemoWorld): { key: string; displayName: string; description: string; generations: (2 | 3)[] }[] {
  const byKey = new Map<string, { key: string; displayName: string; description: string; generations: (2 | 3)[] }>();
  for (const card of world.cards) {
    const m = /^(.+?)\/(?:(old(?:-\d+)?)\/)?g([23])$/.exec(card.id);
    const key = m ? (m[2] ? `${m[1]}/${m[2]}` : m[1]!) : card.id;
    const person = m ? world.descriptions.get(m[1]!) : undefined;
    const entry =
      byKey.get(key) ??
      {
        key,
        displayName: person ? maskName(person.name) : card.label,
        description: person ? `${person.description}${m?.[2] ? '（插入已换掉的旧卡）' : ''}` : card.label,
        generations: [],
      };
    if (!entry.generations.includes(card.generation)) entry.generations.push(card.generation);
    entry.generations.sort();
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

function cardIdOf(world: DemoWorld, personKey: string, generation: 2 | 3): string {
  const ids = new Set(world.cards.map((c) => c.id));
  if (ids.has(`${personKey}/g${generation}`)) return `${personKey}/g${generation}`;
  if (ids.has(personKey)) return personKey;
  throw new KioskError('INVALID_ARGUMENT', `没有这张演示卡：${personKey}（${generation}代卡）`, ['请从演示面板的列表中选择']);
}
