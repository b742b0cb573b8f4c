import { useCallback } from 'react';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { useHotkey } from '../ui/use-hotkey.js';
import { ApprovalDialog } from './components/ApprovalDialog.js';
import { CandidateCard } from './components/CandidateCard.js';
import { ChipCardPanel } from './components/ChipCardPanel.js';
import { DeviceStatusBar } from './components/DeviceStatusBar.js';
import { EnrollDialog } from './components/EnrollDialog.js';
import { FlowStepper } from './components/FlowStepper.js';
import { LookupPanel } from './components/LookupPanel.js';
import { RosterAgeBanner } from './components/RosterAgeBanner.js';
import { CollectStep } from './components/steps/CollectStep.js';
import { DonePanel } from './components/steps/DonePanel.js';
import { EligibilityStep } from './components/steps/EligibilityStep.js';
import { IdentityStep } from './components/steps/IdentityStep.js';
import { PledgeStep } from './components/steps/PledgeStep.js';
import { SyncPanel } from './components/SyncPanel.js';
import { TopBar } from './components/TopBar.js';
import { OcrPanel } from './components/OcrPanel.js';
import { useOcr } from './stores/staff-context.js';
import { useApproval, useCamera, useCheckIn, useConfirmation, useFace, usePhoto, useStaffActions, useStation, useSync } from './stores/staff-context.js';
import { CameraView } from './components/camera/CameraView.js';
import { FaceCheckPanel } from './components/steps/FaceCheckPanel.js';
import { PhotoPanel } from './components/steps/PhotoPanel.js';
import { FingerprintPanel } from './components/steps/FingerprintPanel.js';
import { fingerprintsReady, scannerUsable } from './stores/fingerprint-store.js';
import { useFingerprints } from './stores/staff-context.js';
import { kioskPhase } from './services/kiosk-view.js';
import { SimulatorPanel } from './components/SimulatorPanel.js';
import { KioskStatus } from './components/KioskStatus.js';
import { CorrectionPanel } from './components/CorrectionPanel.js';
import { scenarios } from './stores/simulator-store.js';
import { useSimulator, useSession, useReadiness } from './stores/staff-context.js';
import { IdleWarning, SignInScreen } from './components/SignInScreen.js';
import { ReadinessPanel } from './components/ReadinessPanel.js';
import { isBlocked } from './services/readiness.js';
import { useDay, useReview } from './stores/staff-context.js';
import { SupervisorDesk } from '../supervisor/components/SupervisorDesk.js';
import { ReviewDetail, ReviewQueue } from '../supervisor/components/ReviewQueue.js';
import { ExportPanel } from '../supervisor/components/ExportPanel.js';
import { DayClosePanel } from '../supervisor/components/DayClosePanel.js';
import { ReceiptDeskPanel } from '../receipts/ReceiptDeskPanel.js';
import { ReceiptSheet } from '../receipts/ReceiptSheet.js';
import { DayReportSheet } from '../supervisor/components/DayReportSheet.js';
import { useReceipts, useEligibility, useVisit, useResume, useRules } from './stores/staff-context.js';
import { RulesLine } from './components/RulesLine.js';
import { ResumePanel } from './components/ResumePanel.js';
import { decisionBlocker, papersReview, selectedType } from './stores/eligibility-store.js';
import { PriorVisitBanner } from './components/PriorVisitBanner.js';
import { priorVisitView } from './stores/visit-store.js';
import { effectiveFaceConfig, effectivePolicy } from '../../core/rules/apply.js';

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
  const ocrPhase = useOcr((s) => s.phase);
  const ocrActions = useOcr((s) => s);
  const cameraState = useCamera((s) => s);
  const faceCheck = useFace((s) => s.check);
  const runFace = useFace((s) => s.run);
  const photoShot = usePhoto((s) => s.shot);
  const photoActions = usePhoto((s) => s);
  const rulesActive = useRules((s) => s.active);
  // The policy under the province rules: a step they do not let this point switch off is required here too.
  const applied = info ? effectivePolicy(info.policy, rulesActive.bundle) : undefined;
  const policy = applied?.policy;
  const faceIgnored = info ? effectiveFaceConfig(info.face, rulesActive.bundle).ignoredReason : undefined;
  const simulator = useSimulator((s) => s);
  const photoReady = usePhoto((s) => s.ready) || policy?.standardPhoto !== 'required';
  // Each capture panel's store says whether it has what it needs.
  const fingerprints = useFingerprints((s) => s);
  const fingerprintReady = fingerprintsReady(fingerprints) || policy?.fingerprints !== 'required';
  const collectReady = photoReady && fingerprintReady;
  const faceFigures = faceCheck.status === 'done' && faceCheck.result.ok ? faceCheck.result : undefined;
  const cameraProps = {
    status: cameraState.status,
    message: cameraState.message,
    stream: cameraState.stream,
    devices: cameraState.devices,
    deviceId: cameraState.deviceId,
    onStart: (deviceId?: string) => void cameraState.start(deviceId),
    onVideo: cameraState.attach,
  };
  const cameraView = <CameraView {...cameraProps} />;
  const { flow } = checkIn;
  const kiosk = kioskPhase(flow, checkIn.kiosk, checkIn.kioskResponse);
  const newCandidate = useCallback(() => void reset(), [reset]);
  useHotkey('F2', newCandidate);
  const session = useSession((s) => s);
  const readiness = useReadiness((s) => s);
  const readinessBlocked = isBlocked(readiness.problems);
  const review = useReview((s) => s);
  const day = useDay((s) => s);
  const receipts = useReceipts((s) => s);
  const eligibility = useEligibility((s) => s);
  const visit = useVisit((s) => s);
  const resume = useResume((s) => s);
  const rulesNotice = [useRules((s) => s.notice), applied?.notice, faceIgnored].filter((line) => line !== undefined).join(' ') || undefined;

  if (session.phase !== 'signed-in' || !session.session) {
    // Nothing of the desk (candidate, photos) is rendered while nobody is signed in.
    return (
      <div className="staff">
        <TopBar info={info} connection={connection} roster={roster} />
        {session.phase !== 'loading' && (
          <SignInScreen
            lockedActor={session.lockedActor}
            accounts={session.accounts}
            demoHint={session.demoHint}
            busy={session.busy}
            error={session.error}
            onSubmit={(form) => void session.signIn(form)}
          />
        )}
      </div>
    );
  }
  const user = {
    actor: session.session.actor,
    screen: session.screen,
    onScreen: session.showScreen,
    onLock: () => void session.lockNow(),
    onSignOut: () => void session.signOut(),
  };

  return (
    <div className="staff">
      <TopBar info={info} connection={connection} roster={roster} user={user} />
      <ReceiptSheet sheet={receipts.sheet} layout={receipts.layout} />
      <DayReportSheet report={day.report?.view} day={day.report?.day} />
      {session.idleRemainingMs !== undefined && <IdleWarning remainingMs={session.idleRemainingMs} onStay={() => session.activity(Date.now())} />}
      <DeviceStatusBar devices={[...devices, camera]} />
      {session.screen === 'supervisor' ? (
        <SupervisorDesk
          onTab={(tab) => void (tab === 'review' ? review.load() : day.refresh())}
          review={
            <ReviewQueue status={review.status} items={review.items} filter={review.filter} error={review.open ? undefined : review.error} onFilter={review.setFilter} onOpen={(id) => void review.openItem(id)} />
          }
          exports={
            <ExportPanel
              day={day.day}
              fullNumbers={day.fullNumbers}
              exporting={day.exporting}
              result={day.exportResult}
              onDay={day.setDay}
              onFullNumbers={day.setFullNumbers}
              onExport={(format) => void day.exportLog(format)}
              printing={day.printing}
              printResult={day.printResult}
              onPrint={() => void day.printReport()}
            />
          }
          close={
            <DayClosePanel
              day={day.day}
              summary={day.summary}
              closed={day.closed}
              closing={day.closing}
              message={day.closeMessage}
              onDay={day.setDay}
              onSyncNow={sync.syncNow}
              onHandoff={() => void day.handoff()}
              onClose={() => void day.closeDay()}
            />
          }
        />
      ) : (
        <>
      {simulator.training && (
        <p className="message message--warning staff__training" data-testid="training-banner">
          {zhCN.simulator.trainingBanner}
        </p>
      )}
      <FlowStepper flow={flow} />
      <main className="staff__main">
        <div className="staff__work">
        <RosterAgeBanner gate={gate} override={rosterOverride} onOverride={() => void actions.overrideStaleRoster()} />
        {flow.step === 'identify' && (
          <ReadinessPanel problems={readiness.problems} checking={readiness.checking} onRecheck={() => void readiness.check()} />
        )}
        {flow.step === 'identify' && <RulesLine active={rulesActive} notice={rulesNotice} />}
        {flow.step === 'identify' && resume.offer && (
          <ResumePanel
            offer={resume.offer}
            reason={resume.discardReason}
            busy={resume.status === 'working'}
            error={resume.error}
            onReason={resume.setDiscardReason}
            onResume={() => void resume.resume()}
            onDiscard={() => void resume.discard()}
          />
        )}
        {flow.step === 'identify' && !resume.offer ? (
          <LookupPanel
            input={checkIn.input}
            lookup={checkIn.lookup}
            disabled={roster.status !== 'ready' || gate?.blocked === true || readinessBlocked}
            readerNotice={checkIn.readerNotice}
            onInput={checkIn.setInput}
            onSubmit={() => void checkIn.submit()}
            onAcknowledge={() => void checkIn.acknowledge()}
            onCancel={newCandidate}
            onChoose={(citizenId) => void checkIn.choose(citizenId)}
          />
        ) : null}
        {flow.step === 'identify' && (
          <OcrPanel
            phase={ocrPhase}
            camera={<CameraView {...cameraProps} guide="card" />}
            captured={ocrActions.captured}
            onCapture={(side) => void ocrActions.captureSide(side)}
            onReadCaptured={() => void ocrActions.readCaptured()}
            onOpen={ocrActions.prepare}
            disabled={roster.status !== 'ready' || gate?.blocked === true}
            onRead={(front, back) => void ocrActions.read(front, back)}
            onEdit={ocrActions.edit}
            onConfirmField={ocrActions.confirmField}
            onConfirm={() => void ocrActions.confirm()}
            onCancel={ocrActions.cancel}
          />
        )}
        {flow.step === 'identify' && (
          <ReceiptDeskPanel
            layout={receipts.layout}
            onLayout={receipts.setLayout}
            lookup={receipts.lookup}
            onLookupInput={receipts.setLookupInput}
            onFind={() => void receipts.find()}
            onReprint={(id) => void receipts.print(id, { reprint: true })}
            printing={receipts.printing}
            notice={receipts.notice}
            error={receipts.error}
            check={receipts.check}
            onCheckInput={receipts.setCheckInput}
            onCheck={() => void receipts.verifyQr()}
          />
        )}
        {flow.step === 'identify' ? null : (
          <>
            <CandidateCard
              candidate={flow.candidate}
              warnings={checkIn.lookup.status === 'found' ? checkIn.lookup.warnings : []}
            />
            <PriorVisitBanner view={priorVisitView(visit)} />
            {flow.card && <ChipCardPanel card={flow.card} />}
            {flow.step === 'verify-identity' && (
              <IdentityStep
                kiosk={kiosk}
                busy={decision.saving}
                onPass={() => void decision.identityPassed()}
                onFail={() => void decision.identityFailed()}
                face={
                  policy?.faceCheck === 'required' ? (
                    <>
                      {cameraView}
                      <FaceCheckPanel
                        check={faceCheck}
                        onRun={() => void runFace(flow.candidate.photo)}
                        onContinue={() => faceFigures && void decision.identityByFace(faceFigures)}
                        onOverride={() => void decision.identityOverride(faceFigures)}
                      />
                    </>
                  ) : undefined
                }
              />
            )}
            {flow.step === 'collect' && (
              <CollectStep ready={collectReady} onContinue={() => void decision.collectDone()}>
                {/* collect: standard photo */}
                {policy?.standardPhoto === 'required' && (
                  <>
                    {cameraView}
                    <PhotoPanel shot={photoShot} onCapture={() => void photoActions.capture()} onAccept={photoActions.accept} onRetake={photoActions.retake} />
                  </>
                )}
                {/* collect: fingerprints */}
                {policy?.fingerprints === 'required' && <FingerprintPanel
                  slots={fingerprints.slots}
                  prompt={fingerprints.prompt}
                  busy={fingerprints.busy}
                  scannerReady={scannerUsable(devices)}
                  chipFingerprint={Boolean(flow.card?.fingerprint)}
                  onCapture={(index) => void fingerprints.capture(index)}
                  onConfirm={fingerprints.confirm}
                  onChooseFinger={fingerprints.chooseFinger}
                  onMarkUnavailable={(index) => void fingerprints.markUnavailable(index)}
                  onCancel={() => void fingerprints.cancel()}
                />}
              </CollectStep>
            )}
            {flow.step === 'eligibility' && (
              <EligibilityStep
                typeChoices={eligibility.typeChoices}
                type={selectedType(eligibility)}
                checks={eligibility.checks}
                photographed={new Set(Object.entries(eligibility.checks).flatMap(([id, check]) => (check.photo ? [id] : [])))}
                photoBusy={eligibility.photoBusy}
                photoError={eligibility.photoError}
                review={papersReview(eligibility)}
                decisionKind={eligibility.decisionKind}
                reasons={eligibility.reasons}
                reasonText={eligibility.reasonText}
                until={eligibility.until}
                pendingNote={eligibility.pendingNote}
                blocker={decisionBlocker(eligibility)}
                busy={decision.saving}
                camera={cameraView}
                onChooseType={eligibility.chooseType}
                onStatus={eligibility.setStatus}
                onNote={eligibility.setNote}
                onPhoto={(id) => void eligibility.takePhoto(id)}
                onDecision={eligibility.chooseDecision}
                onToggleReason={eligibility.toggleReason}
                onReasonText={eligibility.setReasonText}
                onUntil={eligibility.setUntil}
                onPendingNote={eligibility.setPendingNote}
                onPass={() => void decision.eligibilityPassed()}
                onReject={() => void decision.eligibilityFailed()}
                onPending={() => void decision.eligibilityPending()}
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
            {flow.step === 'done' && (
              <DonePanel
                saved={decision.saved}
                onNext={newCandidate}
                onPrint={() => void actions.printReceipt()}
                onSavePdf={() => void actions.printReceipt({ pdf: true })}
                layout={receipts.layout}
                onLayout={receipts.setLayout}
                printing={receipts.printing}
                notice={receipts.notice}
                error={receipts.error}
              />
            )}
            <aside className="panel next">
              <p className="hint">
                {zhCN.staff.identifiedBy[flow.source]} · {zhCN.staff.currentStep(zhCN.flow.steps[flow.step])}
              </p>
              {checkIn.readerNotice && (
                <p className="message message--warning" data-testid="reader-notice">
                  {checkIn.readerNotice}
                </p>
              )}
              <KioskStatus phase={kiosk} onResend={() => void checkIn.resendToKiosk()} />
              {kiosk.kind === 'reported' && (
                <CorrectionPanel
                  reported={kiosk.fields}
                  candidate={flow.candidate}
                  corrections={flow.corrections ?? []}
                  status={checkIn.correction}
                  onCorrect={(field, value) => void checkIn.correctField(field, value)}
                />
              )}
              {kiosk.kind !== 'reported' && checkIn.correction.status === 'resent' && (
                <p className="message message--info" data-testid="correction-resent">
                  {zhCN.correction.recheck}
                </p>
              )}
              <button className="button" type="button" onClick={newCandidate}>
                {zhCN.staff.newCandidate}
              </button>
            </aside>
          </>
        )}
        </div>
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
          {info?.simulatorsActive && <SimulatorPanel simulator={simulator} scenarios={scenarios} />}
        </aside>
      </main>
        </>
      )}
      {review.open && session.screen === 'supervisor' && (
        <ReviewDetail open={review.open} busy={review.busy} error={review.error} onDecide={(decision, note) => void review.decide(decision, note)} onClose={review.close} />
      )}
      {sync.enrollOpen && (
        <EnrollDialog
          busy={sync.enrollment.status === 'busy'}
          error={sync.enrollment.status === 'failed' ? sync.enrollment.message : undefined}
          defaultStationName={info?.stationName ?? ''}
          hint={sync.central?.hint}
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
