import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { DemoPerson } from '../../contract/dto/operations.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { DemoIdCardRow } from './DemoIdCardRow.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

type Person = z.infer<typeof DemoPerson>;

/**
 * Demo and training only (status.demo): put a virtual card of any sandbox person into the virtual reader,
 * take it out, or cut the platform network, so every journey can be walked without hardware.
 */
export function DemoPanel({ status }: { status: TerminalStatus }) {
  const kiosk = useKiosk();
  const [open, setOpen] = useState(false);
  const [people, setPeople] = useState<Person[]>([]);
  const [personKey, setPersonKey] = useState('');
  const [generation, setGeneration] = useState<2 | 3>(3);
  const load = useAction(() => kiosk.demo.people({}));
  const act = useAction(async (fn: () => Promise<unknown>) => fn());
  const { run: loadRun } = load;
  useEffect(() => {
    if (!open || people.length > 0) return;
    void loadRun().then((p) => {
      if (!p) return;
      setPeople(p);
      setPersonKey((k) => k || (p[0]?.key ?? ''));
    });
  }, [open, people.length, loadRun]);
  const chosen = people.find((p) => p.key === personKey);
  return (
    <aside className={`demo-panel${open ? ' open' : ''}`} data-testid="demo-panel" aria-label="演示面板">
      <button type="button" className="demo-toggle" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="demo-toggle">
        演示面板
      </button>
      {open && (
        <div className="demo-body">
          <label>
            演示人员
            <select value={personKey} onChange={(e) => setPersonKey(e.target.value)} data-testid="demo-person">
              {people.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.displayName} · {p.description}
                </option>
              ))}
            </select>
          </label>
          <div className="demo-row">
            <label>
              <input type="radio" name="demo-gen" checked={generation === 3} onChange={() => setGeneration(3)} disabled={chosen ? !chosen.generations.includes(3) : false} />
              第三代卡
            </label>
            <label>
              <input type="radio" name="demo-gen" checked={generation === 2} onChange={() => setGeneration(2)} disabled={chosen ? !chosen.generations.includes(2) : false} />
              第二代卡
            </label>
          </div>
          <div className="demo-row">
            <button type="button" data-testid="demo-insert" disabled={!personKey || act.busy} onClick={() => void act.run(() => kiosk.demo.insertCard({ personKey, generation }))}>
              插入虚拟卡
            </button>
            <button type="button" data-testid="demo-remove" disabled={act.busy} onClick={() => void act.run(() => kiosk.demo.removeCard({}))}>
              拔出卡片
            </button>
          </div>
          <DemoIdCardRow />
          <div className="demo-row">
            <button
              type="button"
              data-testid="demo-network"
              disabled={act.busy}
              onClick={() => void act.run(() => kiosk.demo.setNetwork({ online: !status.platform.online }))}
            >
              {status.platform.online ? '断开医保网络' : '恢复医保网络'}
            </button>
          </div>
          {load.error && <ErrorNotice error={load.error} />}
          {act.error && <ErrorNotice error={act.error} onDismiss={act.clear} />}
        </div>
      )}
    </aside>
  );
}
