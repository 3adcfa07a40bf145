import { useState } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useEscape } from '../app/useKeys.ts';
import { DeskShell } from '../components/DeskShell.tsx';
import { QueuePanel } from '../components/QueuePanel.tsx';
import { SignIn } from '../components/SignIn.tsx';
import { mayWorkAt, NotThisDesk } from '../components/NotThisDesk.tsx';
import type { StaffRole } from '../../contract/dto/roles.ts';
import { useDeskOperator } from '../app/useDeskOperator.ts';
import { AccountsPanel } from '../operator/AccountsPanel.tsx';
import { withAccountsTab } from '../operator/accounts-tab.ts';
import { OpenStays } from './OpenStays.tsx';
import { CashierDayEnd } from './CashierDayEnd.tsx';
import { Reconciliation } from './Reconciliation.tsx';
import { PaymentDayEndView } from '../payment/PaymentDayEndView.tsx';
import { SettledStay } from './SettledStay.tsx';
import { SettledView } from './SettledView.tsx';
import { Settlements } from './Settlements.tsx';
import { StayView } from './StayView.tsx';

/** Who works at this desk (contract/access.ts decides each request; this only spares the others a useless desk). */
const DESK_ROLES: StaffRole[] = ['cashier', 'supervisor'];

type Tab = 'discharge' | 'settlements' | 'reconciliation' | 'queue' | 'accounts';
const TABS = [
  { id: 'discharge' as const, label: '出院结算' },
  { id: 'settlements' as const, label: '结算记录' },
  { id: 'reconciliation' as const, label: '日终对账' },
  { id: 'queue' as const, label: '上传队列' },
];

/** 出院结算 counter: open stays → charges → pre-settlement → settlement → documents; records and day end. */
export function DischargeCounter({ status, onNewPatient }: { status: TerminalStatus; onNewPatient: () => void }) {
  const [operator, setOperator] = useDeskOperator(status);
  const [chosen, setTab] = useState<Tab>('discharge');
  if (!operator) return <SignIn title="出院结算" testId="start-discharge" onSignedIn={setOperator} />;
  if (!mayWorkAt(operator, DESK_ROLES)) return <NotThisDesk operator={operator} desk="出院结算" needs={DESK_ROLES} onSignedOut={() => setOperator(null)} />;
  const tabs = withAccountsTab(TABS, status, operator);
  // A tab no longer offered (the supervisor role given up) falls back to the desk's first.
  const tab = tabs.some((t) => t.id === chosen) ? chosen : 'discharge';
  return (
    <DeskShell tabs={tabs} current={tab} onTab={setTab} operator={operator} onSignedOut={() => setOperator(null)}>
      {tab === 'discharge' && <Discharge onNewPatient={onNewPatient} />}
      {tab === 'settlements' && <Settlements status={status} />}
      {tab === 'reconciliation' && (
        <>
          <CashierDayEnd status={status} opterNo={operator.opterNo} />
          <Reconciliation status={status} />
          <PaymentDayEndView status={status} />
        </>
      )}
      {tab === 'queue' && <QueuePanel />}
      {tab === 'accounts' && <AccountsPanel />}
    </DeskShell>
  );
}

type Step = { name: 'stays' } | { name: 'stay'; stay: AdmissionView } | { name: 'settled'; settlement: SettlementView };

function Discharge({ onNewPatient }: { onNewPatient: () => void }) {
  const [step, setStep] = useState<Step>({ name: 'stays' });
  const back = () => {
    onNewPatient();
    setStep({ name: 'stays' });
  };
  useEscape(step.name === 'stays' ? null : back);
  switch (step.name) {
    case 'stays':
      return <OpenStays onOpen={(stay) => setStep({ name: 'stay', stay })} />;
    case 'stay':
      // A settled stay listed here still owes its balance (待补缴): only the collection is left.
      if (step.stay.status === 'settled') return <SettledStay stay={step.stay} onDone={back} />;
      return <StayView stay={step.stay} onSettled={(settlement) => setStep({ name: 'settled', settlement })} />;
    case 'settled':
      return <SettledView settlement={step.settlement} onDone={back} />;
  }
}
