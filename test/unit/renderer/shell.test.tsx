// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { renderWith } from './harness.tsx';

describe('always visible', () => {
  it('shows reader, platform and queue, and an offline banner when the platform is down', async () => {
    const fake = fakeKiosk({}, { mode: 'admission', demo: false, queue: { depth: 3, deadLetters: 1, oldestAgeSeconds: 60 } });
    renderWith(fake, <App />);
    await screen.findByTestId('start-admission');
    expect(screen.getByTestId('reader-status').textContent).toContain('读卡器就绪');
    expect(screen.getByTestId('platform-status').textContent).toBe('医保平台在线');
    expect(screen.getByTestId('queue-status').textContent).toBe('待上传 3 · 失败 1');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => fake.setStatus({ platform: { online: false, checkedAt: null } }));
    expect((await screen.findByTestId('offline-banner')).textContent).toContain('连接恢复后自动上传');
    expect(screen.getByTestId('platform-status').textContent).toBe('医保平台离线');
  });

  it('offers the demo panel only in demo mode; it inserts a card of the chosen person and cuts the network', async () => {
    const plain = fakeKiosk({}, { mode: 'self-service', demo: false });
    const r = renderWith(plain, <App />);
    await screen.findByTestId('start-self-service');
    expect(screen.queryByTestId('demo-panel')).toBeNull();
    r.unmount();

    const fake = fakeKiosk(
      {
        demo: {
          people: async () => [
            { key: 'local-employee', displayName: '王*国', description: '无锡市区职工医保，本地就医', generations: [2, 3] as Array<2 | 3> },
            { key: 'card-lost', displayName: '许*华', description: '社保卡已挂失', generations: [3] as Array<2 | 3> },
          ],
          insertCard: async () => ({ ok: true as const }),
          setNetwork: async () => ({ ok: true as const }),
        },
      },
      { mode: 'self-service', demo: true },
    );
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('demo-toggle'));
    const select = (await screen.findByTestId('demo-person')) as HTMLSelectElement;
    await waitFor(() => expect(select.options).toHaveLength(2));
    fireEvent.change(select, { target: { value: 'card-lost' } });
    fireEvent.click(screen.getByTestId('demo-insert'));
    await waitFor(() => expect(fake.callsTo('demo.insertCard')).toEqual([{ personKey: 'card-lost', generation: 3 }]));
    fireEvent.click(screen.getByTestId('demo-network'));
    await waitFor(() => expect(fake.callsTo('demo.setNetwork')).toEqual([{ online: false }]));
  });

  it('says so in Chinese when the terminal cannot be reached', async () => {
    const fake = fakeKiosk({
      system: {
        status: async () => {
          throw new Error('WebSocket closed');
        },
      },
    });
    renderWith(fake, <App />);
    expect((await screen.findByTestId('connecting')).textContent).toContain('无法连接终端服务');
  });
});
