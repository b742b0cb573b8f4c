import { useCallback } from 'react';
import { materialsByType, eligibilityOutcome } from '../../core/eligibility/materials.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { useHotkey } from '../ui/use-hotkey.js';
import { ApprovalDialog } from './components/ApprovalDialog.js';
import { CandidateCard } from './components/CandidateCard.js';
import { ChipCardPanel } from './components/ChipCardPanel.js';
import { DeviceStatusBar } from './components/DeviceStatusBar.js';
import { EnrollDialog } from './components/EnrollDialog.js';
import { FlowStepper } from './components/FlowStepper.js';
import { KioskStatus } from './components/KioskStatus.js';
import { LookupPanel } from './components/LookupPanel.js';
import { RosterAgeBanner } from './components/RosterAgeBanner.js';
import { CollectStep } from './components/steps/CollectStep.js';
import { DonePanel } from './components/steps/DonePanel.js';
import { EligibilityStep } from './components/steps/EligibilityStep.js';
import { IdentityStep } from './components/steps/IdentityStep.js';
import { PledgeStep } from './components/steps/PledgeStep.js';
import { SyncPanel } from './components/SyncPanel.js';
import { TopBar } from './components/TopBar.js';
import { useApproval, useCheckIn, useConfirmation, useStaffActions, useStation, useSync } from './stores/staff-context.js';

/** Wires store state to presentational components; no logic of its own. */
export function StaffApp() {
  const info = useStation((s) => s.info);
  const connection = useStation((s) => s.connection);
  const roster = useStation((s) => s.roster);
  const devices = useStation((s) => s.devices);
  const camera = useStation((s) => s.camera);
  const rosterOverride = useStation((s) => s.rosterOverride);
  const gate = useStation((s) => s.gate);
  const checkIn = useCheckIn((s) => s);
  const reset = useCheckIn((s) => s.reset);
  const decision = useConfirmation((s) => s);
  const approval = useApproval((s) => s);
  const sync = useSync((s) => s);
  const actions = useStaffActions();
  // Each capture panel's store says whether it has what it needs.
  const collectReady = true;
  const { flow } = checkIn;
  const newCandidate = useCallback(() => void reset(), [reset]);
  useHotkey('F2', newCandidate);

  return (
    <div className="staff">
      <TopBar info={info} connection={connection} roster={roster} />
      <DeviceStatusBar devices={[...devices, camera]} />
      <FlowStepper flow={flow} />
      <main className="staff__main">
        <RosterAgeBanner gate={gate} override={rosterOverride} onOverride={() => void actions.overrideStaleRoster()} />
        {flow.step === 'identify' ? (
          <LookupPanel
            input={checkIn.input}
            lookup={checkIn.lookup}
            disabled={roster.status !== 'ready' || gate?.blocked === true}
            readerNotice={checkIn.readerNotice}
            onInput={checkIn.setInput}
            onSubmit={() => void checkIn.submit()}
            onAcknowledge={() => void checkIn.acknowledge()}
            onCancel={newCandidate}
          />
        ) : (
          <>
            <CandidateCard
              candidate={flow.candidate}
              warnings={checkIn.lookup.status === 'found' ? checkIn.lookup.warnings : []}
            />
            {flow.card && <ChipCardPanel card={flow.card} />}
            {flow.step === 'verify-identity' && (
              <IdentityStep
                kioskResponse={checkIn.kioskResponse}
                busy={decision.saving}
                onPass={() => void decision.identityPassed()}
                onFail={() => void decision.identityFailed()}
              />
            )}
            {flow.step === 'collect' && (
              <CollectStep ready={collectReady} onContinue={() => void decision.collectDone()}>
                {/* collect: standard photo */}
                {/* collect: fingerprints */}
              </CollectStep>
            )}
            {flow.step === 'eligibility' && (
              <EligibilityStep
                candidateType={flow.candidate.candidateType}
                materials={materialsByType[flow.candidate.candidateType]}
                verdicts={decision.verdicts}
                canPass={eligibilityOutcome(flow.candidate.candidateType, decision.verdicts).passed}
                canReject={eligibilityOutcome(flow.candidate.candidateType, decision.verdicts).failed.length > 0}
                busy={decision.saving}
                onVerdict={decision.setVerdict}
                onPass={() => void decision.eligibilityPassed()}
                onReject={() => void decision.eligibilityFailed()}
              />
            )}
            {flow.step === 'candidate-confirm' && (
              <PledgeStep
                signed={decision.signature !== undefined}
                saving={decision.saving}
                error={decision.error}
                onSave={() => void decision.saveConfirmed()}
                onResend={() => void checkIn.resendToKiosk()}
              />
            )}
            {flow.step === 'done' && <DonePanel saved={decision.saved} onNext={newCandidate} />}
            <aside className="panel next">
              <p className="hint">
                {zhCN.staff.identifiedBy[flow.source]} · {zhCN.staff.currentStep(zhCN.flow.steps[flow.step])}
              </p>
              {checkIn.readerNotice && (
                <p className="message message--warning" data-testid="reader-notice">
                  {checkIn.readerNotice}
                </p>
              )}
              <KioskStatus kiosk={checkIn.kiosk} response={checkIn.kioskResponse} onResend={() => void checkIn.resendToKiosk()} />
              <button className="button" type="button" onClick={newCandidate}>
                {zhCN.staff.newCandidate}
              </button>
            </aside>
          </>
        )}
        <aside className="staff__side">
          <SyncPanel
            central={sync.central}
            engine={sync.engine}
            status={sync.status}
            uploadProgress={sync.uploadProgress}
            onSyncNow={sync.syncNow}
            onRequeue={sync.requeue}
            onEnroll={() => sync.setEnrollOpen(true)}
          />
        </aside>
      </main>
      {sync.enrollOpen && (
        <EnrollDialog
          busy={sync.enrollment.status === 'busy'}
          error={sync.enrollment.status === 'failed' ? sync.enrollment.message : undefined}
          defaultStationName={info?.stationName ?? ''}
          onSubmit={(request) => void sync.enroll(request)}
          onCancel={() => sync.setEnrollOpen(false)}
        />
      )}
      {approval.open && (
        <ApprovalDialog
          action={approval.open.action}
          supervisors={approval.supervisors}
          busy={approval.busy}
          error={approval.error}
          onSubmit={(form) => void approval.submit(form)}
          onCancel={approval.cancel}
        />
      )}
    </div>
  );
}
