import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { toStationError } from '../../core/errors/station-error.js';
import { connectStation } from '../api/connect-station.js';
import { StationDb } from '../db/station-db.js';
import { importDataKey } from '../db/blob-vault.js';
import { migratePlaintextData } from '../db/plaintext-migration.js';
import { RosterRepository } from '../roster/roster-repository.js';
import { ConnectingScreen } from '../ui/ConnectingScreen.js';
import { FatalScreen } from '../ui/FatalScreen.js';
import '../ui/base.css';
import { StaffApp } from './StaffApp.js';
import { startStaffSession } from './services/staff-session.js';
import { createCheckInStore } from './stores/check-in-store.js';
import { StaffStoresContext, type StaffActions } from './stores/staff-context.js';
import { createApprovalStore } from './stores/approval-store.js';
import { createConfirmationStore } from './stores/confirmation-store.js';
import { createEligibilityStore } from './stores/eligibility-store.js';
import { createVisitStore } from './stores/visit-store.js';
import { createResumeStore } from './stores/resume-store.js';
import { DraftRepository } from '../confirmations/draft-repository.js';
import { keepDeskDraft } from './services/desk-draft.js';
import { createFingerprintStore } from './stores/fingerprint-store.js';
import { overrideStaleRoster, watchRoster } from './services/roster-watch.js';
import { ConfirmationRepository } from '../confirmations/confirmation-repository.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { deskSettings } from '../rules/desk-settings.js';
import { encodeJpegCanvas } from '../photo-quality/canvas-encoder.js';
import { createCameraStore } from './stores/camera-store.js';
import { createFaceStore } from './stores/face-store.js';
import { createPhotoStore } from './stores/photo-store.js';
import { faceEngineLoader } from './services/face-engine-loader.js';
import { decodeImageFile } from '../util/decode-image.js';
import { createOcrStore } from './stores/ocr-store.js';
import { receiptQrDataUrl } from '../receipts/receipt-qr.js';
import { ReceiptRepository, keepingSignedReceipts } from '../receipts/receipt-repository.js';
import { createReceiptStore } from '../receipts/receipt-store.js';
import { sheetRendered } from '../printing/print-sheet.js';
import { createStationStore } from './stores/station-store.js';
import { createSyncStore } from './stores/sync-store.js';
import { createSimulatorStore } from './stores/simulator-store.js';
import { withSimulatedCamera } from '../camera/simulated-camera.js';
import demoFaces from '../../assets/demo/demo-faces.json';
import { createReadinessStore } from './stores/readiness-store.js';
import { createSessionStore, currentActor } from './stores/session-store.js';
import { sessionHost } from './services/session-host.js';
import { watchIdle } from './services/idle-watch.js';
import { watchReadiness } from './services/readiness-watch.js';
import { createReviewStore } from '../supervisor/review-store.js';
import { createDayStore } from '../supervisor/day-store.js';
import { readLedger } from '../supervisor/day-ledger.js';
import { stationLedger } from '../supervisor/station-ledger.js';
import { dayCloseService } from '../supervisor/day-close-service.js';
import { AuditLog } from '../audit/audit-log.js';
import { createRulesStore, rulesStamp } from '../rules/rules-store.js';
import { stationDay } from '../confirmations/confirmation-repository.js';
import { downloadFromHost } from './services/download.js';

const DB_NAME = 'xianchang-station';
/** Photos of papers are evidence for a supervisor, not print originals: legible at a modest size. */
const PAPER_PHOTO_QUALITY = 0.8;

const root = createRoot(document.getElementById('root')!);
root.render(<ConnectingScreen />);

async function boot(): Promise<void> {
  const station = createStationStore();
  const running: { current?: Awaited<ReturnType<typeof startStaffSession>> } = {};
  const api = await connectStation('staff', (connection) => {
    station.setState({ connection });
    if (connection === 'open') void running.current?.resync().catch(() => undefined);
  });
  // The data key first: photos, fingerprints and signatures in the database are encrypted with it, and
  // plaintext blobs, roster and records left by an older version are encrypted before anything reads or writes them.
  const dataKey = await importDataKey((await api.call('storage.dataKey', {})).keyBase64);
  const db = new StationDb(DB_NAME, { dataKey });
  await migratePlaintextData(db, dataKey);
  const roster = new RosterRepository(db);
  const audit = new AuditLog(db);
  // 省级配置: the active bundle applies to the candidate at the desk; a newer one waits until the desk is idle.
  const rules = createRulesStore({ api, audit: (entry) => audit.append(entry) });
  await rules.getState().load().catch(() => undefined);
  // A bundle that arrives while the desk is idle applies at once; during a candidate it waits (adoptPending below).
  api.on('rules.changed', (current) =>
    void rules
      .getState()
      .receive(current)
      .then(() => (checkIn.getState().flow.step === 'identify' ? rules.getState().adoptPending() : false)),
  );
  let resumeOffered = () => false;
  const checkIn = createCheckInStore({
    api,
    roster,
    pledge: () => rules.getState().active.bundle.pledge,
    rosterReady: () => station.getState().roster.status === 'ready',
    rosterBlocked: () => {
      // An open confirmation offered for resume is answered before the next candidate starts.
      if (resumeOffered()) return zhCN.resume.answerFirst;
      const gate = station.getState().gate;
      return gate?.blocked ? zhCN.rosterAge.stale(gate.age.ageHours, gate.limitHours) : undefined;
    },
  });
  const approval = createApprovalStore({ api, audit: (entry) => audit.append(entry) });
  // What the desk applies: the station's config under the active province bundle (core/rules/apply.ts).
  const desk = deskSettings({ info: () => station.getState().info, bundle: () => rules.getState().active.bundle });
  const faceConfig = desk.faceConfig;
  const policy = desk.policy;
  const fingerprints = createFingerprintStore({
    api,
    ask: (action) => approval.getState().ask(action),
    flow: () => checkIn.getState().flow,
    settings: () => station.getState().info?.fingerprint,
    enabled: () => policy()?.fingerprints === 'required',
  });
  const simulatorsActive = () => station.getState().info?.simulatorsActive === true;
  const confirmations = new ConfirmationRepository(db);
  const simulator = createSimulatorStore({
    api,
    flow: () => checkIn.getState().flow,
    slots: () => fingerprints.getState().slots,
    demoCandidate: Object.keys(demoFaces.faces)[0] ?? '',
    purgeTraining: () => confirmations.purgeTraining(),
    resetFlow: () => checkIn.getState().reset(),
  });
  // Who the simulated camera films: the current candidate's synthetic face (when the demo has one), or a stranger.
  const demoFaceUrl = (n: number | undefined) => (n === undefined ? undefined : `./demo-faces/${n}.png`);
  const media = withSimulatedCamera(navigator.mediaDevices, {
    enabled: simulatorsActive,
    picture: () => {
      const { scene } = simulator.getState();
      if (scene === 'empty') return undefined;
      if (scene === 'stranger') return demoFaceUrl(demoFaces.stranger);
      const flow = checkIn.getState().flow;
      const faces: Record<string, number> = demoFaces.faces;
      return flow.step === 'identify' ? undefined : demoFaceUrl(faces[flow.candidate.citizenId]);
    },
    load: async (url) => createImageBitmap(await (await fetch(url)).blob()),
  });
  const camera = createCameraStore({ media });
  const loadFaceEngine = faceEngineLoader(faceConfig);
  const face = createFaceStore({ camera, loadEngine: loadFaceEngine, liveness: () => faceConfig().liveness });
  const photo = createPhotoStore({
    camera,
    loadEngine: loadFaceEngine,
    spec: () => faceConfig().photo,
    encode: encodeJpegCanvas,
    enabled: () => policy()?.standardPhoto === 'required',
  });
  const sync = createSyncStore({
    api,
    dbName: DB_NAME,
    dataKey,
    createWorker: () => new Worker(new URL('../sync/worker/sync-worker.ts', import.meta.url), { type: 'module', name: 'sync' }),
  });
  const session = createSessionStore({
    host: sessionHost(api),
    // The account id only for a failed try: the detail field never holds what was typed as a password.
    record: (event) =>
      void audit
        .append(event.kind === 'sign-in-failed' ? { kind: 'sign-in-failed', detail: `account ${event.accountId}` } : { kind: event.kind, actor: event.actor })
        .catch(() => undefined),
  });
  const readiness = createReadinessStore({
    probe: () => api.call('station.readiness', {}),
    inputs: () => {
      const { devices, camera, gate } = station.getState();
      const { status, central } = sync.getState();
      return {
        devices: [...devices, camera],
        policy: policy(),
        gate,
        backlog: {
          pending: status?.pendingCount ?? 0,
          needsAttention: status?.needsAttention.length ?? 0,
          lastSuccessAt: status?.lastSuccessAt,
          enrolled: central?.enrolled === true,
        },
      };
    },
  });
  const receiptRepository = new ReceiptRepository(db);
  const collectors = [
    // collectors: standard photo
    photo.collector,
    // collectors: fingerprints
    fingerprints,
  ];
  const ledger = stationLedger(db, confirmations);
  // The candidate's earlier records here: an open 待补材料 record to complete, an earlier confirmation to warn about.
  const visit = createVisitStore({
    checkIn,
    history: (citizenId) => confirmations.history(citizenId),
    crossStation: async (ids) => {
      const acks = await ledger.acks();
      return ids.some((id) => acks.get(id)?.crossStation === true);
    },
    training: () => simulator.getState().training,
    blob: (sha256) => db.vault.get(sha256),
  });
  // 资格审核 under the rules in force; a photo of a paper is what the desk camera shows when staff press 拍照留存.
  const eligibility = createEligibilityStore({
    checkIn,
    visit,
    bundle: () => rules.getState().active.bundle,
    today: () => stationDay(new Date().toISOString()),
    takePhoto: async () => {
      if (camera.getState().status !== 'on') await camera.getState().start();
      await camera.getState().whenShowing();
      return new Uint8Array(await encodeJpegCanvas(camera.getState().grab(), PAPER_PHOTO_QUALITY));
    },
  });
  // The server answers the cross-station question when it takes a record: read it again after each sync change.
  sync.subscribe((state, previous) => {
    if (state.status !== previous.status) void visit.getState().refreshFlags();
  });
  const confirmation = createConfirmationStore({
    eligibility,
    visit,
    actor: () => currentActor(session.getState()),
    rules: () => rulesStamp(rules.getState()),
    checkIn,
    repository: confirmations,
    training: () => simulator.getState().training,
    rosterOverride: () => station.getState().rosterOverride,
    onSaved: () => sync.getState().wake(),
    askApproval: (action) => approval.getState().ask(action),
    faceCheckRequired: () => policy()?.faceCheck === 'required',
    // What the host signs is kept with the record (receipts table), so 补打回执 prints the same QR.
    signReceipt: keepingSignedReceipts(receiptRepository, (record) => api.call('receipt.sign', record), () => console.warn('receipt QR not kept')),
    qrImage: receiptQrDataUrl,
    collectors,
  });
  // Resume after a crash: the open confirmation is kept, sealed, as each step's result changes (desk-draft.ts).
  const drafts = new DraftRepository(db);
  const deskStores = { checkIn, confirmation, eligibility, collectors };
  resumeOffered = () => resume.getState().status === 'offer' || resume.getState().status === 'working';
  const resume = createResumeStore({
    drafts,
    stores: deskStores,
    audit: (entry) => {
      const who = currentActor(session.getState());
      return audit.append({ ...entry, ...(who ? { actor: who } : {}) });
    },
    // Only the error's code: a draft holds personal data, and so might a message about it.
    keep: () => void keepDeskDraft(deskStores, drafts, (error) => console.warn('desk draft not kept:', toStationError(error).code)),
  });
  const actor = () => currentActor(session.getState());
  const review = createReviewStore({
    ledger: () => readLedger(ledger),
    blob: (sha256) => db.vault.get(sha256),
    referencePhoto: async (citizenId) => (await roster.findByCitizenId(citizenId))?.photo,
    actor,
    saveReview: async ({ record, review: decision }) => {
      // The same content plus the decision, with the same blobs (read back to save with the new version).
      const { blobs: refs, ...content } = record.content;
      const blobs = [];
      for (const ref of refs) {
        const blob = await db.vault.get(ref.sha256);
        if (blob) blobs.push({ role: ref.role, mime: blob.mime, bytes: blob.bytes });
      }
      await confirmations.save({ content: { ...content, review: decision }, blobs, supersedes: record.id });
      sync.getState().wake();
    },
  });
  // Retention: acknowledged records of closed days go after the configured days; the purge is audited by count.
  const purgeExpired = async () => {
    const retentionDays = station.getState().info?.retentionDays;
    if (retentionDays === undefined) return;
    const purged = await confirmations.purgeExpired({ retentionDays });
    if (purged > 0) await audit.append({ kind: 'purge', count: purged, detail: `retention ${retentionDays} d` });
  };
  const closing = dayCloseService({ api, db, repository: confirmations, audit, actor, download: downloadFromHost, purge: purgeExpired });
  const day = createDayStore({
    ledger: (d) => readLedger(ledger, d),
    actor,
    point: () => {
      const { central } = sync.getState();
      const rosterState = station.getState().roster;
      const meta = rosterState.status === 'ready' ? rosterState.meta : undefined;
      return { code: central?.pointCode ?? meta?.pointCode ?? '', name: central?.pointName ?? meta?.pointName ?? '' };
    },
    station: () => ({ name: station.getState().info?.stationName ?? '', id: sync.getState().central?.stationId }),
    writeExport: async (format, log) => {
      const saved = await api.call('export.dayLog', { format, log });
      if (saved.cancelled) return undefined;
      if (saved.downloadPath) downloadFromHost(saved.downloadPath, saved.fileName);
      await audit.append({ kind: log.fullNumbers ? 'export-full-numbers' : 'export', actor: log.generatedBy, count: log.rows.length, detail: `${format} ${log.day}` });
      return { fileName: saved.fileName, savedTo: saved.savedTo };
    },
    recordPrint: async (log) => {
      await audit.append({ kind: log.fullNumbers ? 'export-full-numbers' : 'export', actor: log.generatedBy, count: log.rows.length, detail: `print ${log.day}` });
    },
    printer: {
      hostKind: () => station.getState().info?.hostKind,
      toPdf: (request) => api.call('print.toPdf', request),
      print: () => window.print(),
      rendered: () => sheetRendered('day-report'),
    },
    handoff: closing.handoff,
    closeDay: closing.closeDay,
    isClosed: (d) => confirmations.isDayClosed(d),
    today: () => stationDay(new Date().toISOString()),
  });
  // Signing out or locking forgets the last printed receipt, the 补打回执 list and the printed day report (they name candidates).
  session.subscribe((state, previous) => {
    if (state.phase !== 'signed-in' && previous.phase === 'signed-in') {
      receipts.getState().forget();
      day.getState().forgetReport();
    }
  });
  // Opening 主管工作台 reads the queue and the day afresh.
  session.subscribe((state, previous) => {
    if (state.screen === 'supervisor' && previous.screen !== 'supervisor') {
      void review.getState().load();
      void day.getState().refresh();
    }
  });
  // The day-close panel follows the sync while a supervisor watches it (unacknowledged records settle one by one).
  sync.subscribe((state, previous) => {
    if (state.status !== previous.status && session.getState().screen === 'supervisor') void day.getState().refresh();
  });
  const ocr = createOcrStore({
    checkIn,
    worker: () => new Worker(new URL('../ocr-worker/ocr-worker.ts', import.meta.url), { type: 'module', name: 'ocr' }),
    decode: decodeImageFile,
    grabFrame: async () => {
      if (camera.getState().status !== 'on') await camera.getState().start();
      await camera.getState().whenShowing();
      return camera.getState().grab();
    },
  });
  // The simulator panel's card list, once the host says simulators stand in for hardware; asked again when the
  // roster is ready if the first answer did not come (a busy host at start must not leave the trainer without cards).
  station.subscribe((state, previous) => {
    if (!state.info?.simulatorsActive) return;
    const simulatorsNow = !previous.info?.simulatorsActive;
    const rosterNow = state.roster.status === 'ready' && previous.roster.status !== 'ready' && simulator.getState().candidates.length === 0;
    if (simulatorsNow || rosterNow) void simulator.getState().loadCandidates();
  });
  // A new candidate starts without the previous face check. A found one has the face engine loaded and the
  // reference described while staff look at the papers: 核验 then waits only for the camera.
  checkIn.subscribe((state, previous) => {
    if (state.flow.step === 'identify' && previous.flow.step !== 'identify') {
      face.getState().reset();
      void rules.getState().adoptPending();
    }
    if (state.flow.step !== 'identify' && previous.flow.step === 'identify' && policy()?.faceCheck === 'required') void face.getState().prepare(state.flow.candidate.photo);
  });
  const receipts = createReceiptStore({
    records: confirmations,
    receipts: receiptRepository,
    sign: (record) => api.call('receipt.sign', record),
    qrImage: receiptQrDataUrl,
    blob: (sha256) => db.vault.get(sha256),
    place: () => {
      const { central } = sync.getState();
      const rosterState = station.getState().roster;
      const meta = rosterState.status === 'ready' ? rosterState.meta : undefined;
      return { pointName: central?.pointName ?? meta?.pointName ?? '', stationName: station.getState().info?.stationName ?? '' };
    },
    hostKind: () => station.getState().info?.hostKind,
    toPdf: (request) => api.call('print.toPdf', request),
    print: () => window.print(),
    rendered: () => sheetRendered('receipt'),
    verifyOffline: (qr) => api.call('receipts.verifyOffline', { qr }),
    audit: (entry) => {
      const who = currentActor(session.getState());
      return audit.append({ ...entry, ...(who ? { actor: who } : {}) });
    },
  });
  const actions: StaffActions = {
    overrideStaleRoster: () => overrideStaleRoster({ station, ask: (action) => approval.getState().ask(action) }),
    printReceipt: async (options) => {
      const saved = confirmation.getState().saved;
      if (saved) await receipts.getState().print(saved.id, options);
    },
  };
  root.render(
    <StrictMode>
      <StaffStoresContext.Provider value={{ station, checkIn, sync, confirmation, approval, fingerprints, camera, face, photo: photo.store, ocr, simulator, session, readiness, review, day, receipts, eligibility, visit, resume, rules, actions }}>
        <StaffApp />
      </StaffStoresContext.Provider>
    </StrictMode>,
  );
  await session.getState().load();
  // The offer to resume waits for someone signed in: it names a candidate.
  if (session.getState().phase === 'signed-in') void resume.getState().check();
  session.subscribe((state) => {
    if (state.phase === 'signed-in') void resume.getState().check();
  });
  watchIdle({ session, target: window });
  // Staff who wait for the face check are not idle: its answer restarts the idle clock, as a key press would.
  face.subscribe((state, previous) => {
    if (state.check.status !== previous.check.status && previous.check.status === 'running') session.getState().activity(Date.now());
  });
  // The camera's presence as the desk sees it: the simulated one counts when it stands in.
  const deskMedia = media && navigator.mediaDevices
    ? { enumerateDevices: () => media.enumerateDevices(), addEventListener: navigator.mediaDevices.addEventListener.bind(navigator.mediaDevices), removeEventListener: navigator.mediaDevices.removeEventListener.bind(navigator.mediaDevices) }
    : navigator.mediaDevices;
  running.current = await startStaffSession({ api, roster, station, checkIn, media: deskMedia });
  watchRoster({ station, sync, roster, rules });
  await sync.getState().start();
  watchReadiness({ readiness, station, sync, checkIn, rules });
  void purgeExpired().catch(() => undefined);
}

boot().catch((error: unknown) => root.render(<FatalScreen message={toStationError(error).userMessage} />));
