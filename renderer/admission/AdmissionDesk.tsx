import { useCallback, useState } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { useEscape } from '../app/useKeys.ts';
import { Busy } from '../components/Busy.tsx';
import { DeskShell } from '../components/DeskShell.tsx';
import { QueuePanel } from '../components/QueuePanel.tsx';
import { SignIn } from '../components/SignIn.tsx';
import { mayWorkAt, NotThisDesk } from '../components/NotThisDesk.tsx';
import type { StaffRole } from '../../contract/dto/roles.ts';
import { useDeskOperator } from '../app/useDeskOperator.ts';
import { AccountsPanel } from '../operator/AccountsPanel.tsx';
import { withAccountsTab } from '../operator/accounts-tab.ts';
import { AdmissionFormView } from './AdmissionFormView.tsx';
import { AdmittedView } from './AdmittedView.tsx';
import { EligibilityStep } from './EligibilityStep.tsx';
import { Identify, type AdmissionType } from './Identify.tsx';

/** Who works at this desk (contract/access.ts decides each request; this only spares the others a useless desk). */
const DESK_ROLES: StaffRole[] = ['clerk', 'supervisor'];

type Tab = 'register' | 'queue' | 'accounts';
const TABS = [
  { id: 'register' as const, label: '入院登记' },
  { id: 'queue' as const, label: '上传队列' },
];

/** 入院登记 desk: sign in, then one patient at a time, with the outbox one tab away. */
export function AdmissionDesk({ status, onNewPatient }: { status: TerminalStatus; onNewPatient: () => void }) {
  const [operator, setOperator] = useDeskOperator(status);
  const [chosen, setTab] = useState<Tab>('register');
  const [patientNo, setPatientNo] = useState(0);
  if (!operator) return <SignIn title="入院登记" testId="start-admission" onSignedIn={setOperator} />;
  if (!mayWorkAt(operator, DESK_ROLES)) return <NotThisDesk operator={operator} desk="入院登记" needs={DESK_ROLES} onSignedOut={() => setOperator(null)} />;
  const tabs = withAccountsTab(TABS, status, operator);
  // A tab no longer offered (the supervisor role given up) falls back to the desk's first.
  const tab = tabs.some((t) => t.id === chosen) ? chosen : 'register';
  return (
    <DeskShell tabs={tabs} current={tab} onTab={setTab} operator={operator} onSignedOut={() => setOperator(null)}>
      {tab === 'accounts' ? (
        <AccountsPanel />
      ) : tab === 'register' ? (
        <Registration
          key={patientNo}
          onNext={() => {
            onNewPatient();
            setPatientNo((n) => n + 1);
          }}
        />
      ) : (
        <QueuePanel />
      )}
    </DeskShell>
  );
}

type Step =
  | { name: 'identify'; switchFrom?: { code: string; text: string } }
  | { name: 'eligibility'; decision: EligibilityDecision }
  | { name: 'form'; decision: EligibilityDecision }
  | { name: 'done'; admission: AdmissionView };

/** One patient's registration: identify → eligibility → form → admitted. Esc steps back. */
function Registration({ onNext }: { onNext: () => void }) {
  const kiosk = useKiosk();
  const [step, setStep] = useState<Step>({ name: 'identify' });
  const [credential, setCredential] = useState<Credential | null>(null);
  const [admissionType, setAdmissionType] = useState<AdmissionType>('normal');
  const check = useAction((args: Parameters<typeof kiosk.eligibility.check>[0]) => kiosk.eligibility.check(args));

  const run = useCallback(
    async (c: Credential, insutype?: string) => {
      const decision = await check.run({ credential: c, admissionType, ...(insutype ? { insutype } : {}) });
      if (decision) setStep({ name: 'eligibility', decision });
    },
    [check, admissionType],
  );

  useEscape(
    step.name === 'eligibility'
      ? () => {
          check.clear();
          setStep({ name: 'identify' });
        }
      : step.name === 'form'
        ? () => setStep({ name: 'eligibility', decision: step.decision })
        : step.name === 'done'
          ? onNext
          : null,
  );

  switch (step.name) {
    case 'identify':
      return (
        <>
          <Identify
            switchFrom={step.switchFrom ?? null}
            admissionType={admissionType}
            onAdmissionType={setAdmissionType}
            error={check.error}
            onIdentified={(c) => {
              if (check.busy) return;
              setCredential(c);
              void run(c);
            }}
          />
          {check.busy && <Busy text="正在核验参保与备案信息…" />}
        </>
      );
    case 'eligibility':
      return (
        <EligibilityStep
          decision={step.decision}
          busy={check.busy}
          onChooseInsutype={(t) => credential && void run(credential, t)}
          onContinue={() => setStep({ name: 'form', decision: step.decision })}
          onSwitchCredential={(reason) => setStep({ name: 'identify', switchFrom: reason })}
          onRestart={() => setStep({ name: 'identify' })}
        />
      );
    case 'form':
      return <AdmissionFormView decision={step.decision} admissionType={admissionType} onRegistered={(admission) => setStep({ name: 'done', admission })} />;
    case 'done':
      return <AdmittedView admission={step.admission} onNext={onNext} />;
  }
}
