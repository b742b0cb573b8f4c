import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { FaceConfig, defaultFaceConfig } from '../../../core/contract/face-config.js';
import type { RulesCurrent, StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { RulesBundle } from '../../../core/rules/bundle.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';
import type { RosterMeta } from '../../../renderer/db/station-db.js';
import type { BrowserFaceEngine } from '../../../renderer/face/browser-face-engine.js';
import type { FaceModelPort } from '../../../renderer/face/face-api-port.js';
import { FaceEngine } from '../../../renderer/face/face-engine.js';
import { RECOGNIZERS } from '../../../renderer/face/recognizer.js';
import { deskSettings } from '../../../renderer/rules/desk-settings.js';
import { createRulesStore } from '../../../renderer/rules/rules-store.js';
import { faceEngineLoader } from '../../../renderer/staff/services/face-engine-loader.js';
import { watchRoster } from '../../../renderer/staff/services/roster-watch.js';
import { createStationStore } from '../../../renderer/staff/stores/station-store.js';
import { createReadinessStore } from '../../../renderer/staff/stores/readiness-store.js';
import { watchReadiness } from '../../../renderer/staff/services/readiness-watch.js';
import type { CheckInState } from '../../../renderer/staff/stores/check-in-store.js';
import { createStore } from 'zustand/vanilla';
import type { SyncState } from '../../../renderer/staff/stores/sync-store.js';

const nm = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')));
const H = 3_600_000;

const info = (overrides: Partial<StationInfo> = {}): StationInfo => ({
  hostKind: 'browser',
  appVersion: 't',
  stationName: '1号工位',
  simulatorsActive: true,
  policy: { rosterMaxAgeHours: 48, faceCheck: 'off', standardPhoto: 'required', fingerprints: 'off' },
  face: defaultFaceConfig,
  ...overrides,
});

describe('desk settings', () => {
  it('are the station settings until a bundle is active, then the bundle applies to the next read', () => {
    let bundle = BUILTIN_RULES;
    const host: { info?: StationInfo } = {};
    const desk = deskSettings({ info: () => host.info, bundle: () => bundle });
    // Before the host answered: the default face config, no policy.
    expect(desk.faceConfig()).toEqual(defaultFaceConfig);
    expect(desk.policy()).toBeUndefined();

    host.info = info();
    expect(desk.policy()).toEqual(host.info.policy);
    expect(desk.photoSpec()).toEqual(defaultFaceConfig.photo);
    expect(desk.face().source).toBe('station');

    bundle = nm;
    expect(desk.policy()).toEqual({ rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'off' });
    expect(desk.effectivePolicy()?.forced).toEqual(['faceCheck']);
    expect(desk.effectivePolicy()?.notice).toBe(zhCN.rules.forcedSteps('人脸核验'));
    expect(desk.photoSpec()).toMatchObject({ width: 480, height: 640, maxBytes: 200_000 });
    // The face config carries the same photo spec, and the bundle's thresholds.
    expect(desk.faceConfig().photo).toBe(desk.photoSpec());
    expect(desk.faceConfig().match.threshold).toBe(0.48);
    expect(desk.face().source).toBe('bundle');
  });

  it('give the same objects while nothing changed (stores compare them by identity)', () => {
    const station = info();
    const desk = deskSettings({ info: () => station, bundle: () => nm });
    expect(desk.faceConfig()).toBe(desk.faceConfig());
    expect(desk.policy()).toBe(desk.policy());
  });

  it('keep the station calibration when the bundle thresholds are for another recognizer', () => {
    const station = info({ face: FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } }) });
    const desk = deskSettings({ info: () => station, bundle: () => nm });
    expect(desk.face()).toMatchObject({ source: 'station', ignoredReason: zhCN.rules.faceIgnored('faceplugin-fr-feature', 'faceapi-dlib') });
    expect(desk.faceConfig().match.recognizer).toBe('faceapi-dlib');
    // The photo spec is the bundle's regardless: it is about the picture, not the net.
    expect(desk.photoSpec().width).toBe(480);
  });
});

describe('face engine loader', () => {
  const dlib = FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } });
  const port: FaceModelPort = {
    modelVersion: 'fake@1',
    backend: 'fake',
    recognizer: RECOGNIZERS['faceapi-dlib'],
    detect: async () => ({ faces: [], describe: async () => ({ descriptor: new Float32Array(128) }), dispose: () => undefined }),
  };
  const vec = (first: number) => [first, ...new Array<number>(127).fill(0)];

  it('loads the models once and applies thresholds adopted later to the next check', async () => {
    let config = dlib;
    const create = vi.fn(async (options: { config: FaceConfig }): Promise<BrowserFaceEngine> => ({ engine: new FaceEngine(port, options.config), backend: 'wasm', modelLoadMs: 1, backendStartMs: 1 }));
    const load = faceEngineLoader(() => config, create as never);
    const first = await load();
    expect(first.engine.compare(vec(0), vec(0.42)).decision).toBe('review');
    expect(await load()).toBe(first);

    config = { ...dlib, match: { ...dlib.match, threshold: 0.44, reviewBand: { lower: 0.43, upper: 0.48 } } };
    const second = await load();
    expect(second.engine.compare(vec(0), vec(0.42)).decision).toBe('pass');
    expect(await load()).toBe(second);
    expect(create).toHaveBeenCalledTimes(1);

    // Thresholds for another net than the loaded one are not applied to it.
    config = FaceConfig.parse({});
    expect((await load()).engine.config.match.recognizer).toBe('faceapi-dlib');
  });
});

describe('roster-age gate under the rules', () => {
  const meta: RosterMeta = {
    key: 'roster',
    pointCode: 'ZZ-JS-01',
    pointName: '金水区',
    generatedAt: '2026-11-20T00:00:00Z',
    loadedAt: '2026-11-20T00:00:00Z',
    count: 40,
    synthetic: false,
    source: 'central',
  };

  it('takes the stricter limit of the active bundle, and follows an adoption', async () => {
    const now = Date.parse('2026-11-23T08:00:00Z');
    const station = createStationStore();
    station.setState({ info: info(), roster: { status: 'ready', meta }, rosterSyncAt: now - 30 * H });
    const sync = createStore<SyncState>()(() => ({}) as SyncState);
    let host: RulesCurrent = { source: 'builtin', bundle: BUILTIN_RULES };
    const rules = createRulesStore({ api: { call: async () => host } as never });
    await rules.getState().load();
    const stop = watchRoster({ station, sync, roster: { meta: async () => meta }, rules, now: () => now });
    try {
      // 30 h old: fine under the station's 48 h.
      expect(station.getState().gate).toMatchObject({ limitHours: 48, blocked: false });
      host = { source: 'central', bundle: nm, downloadedAt: '2026-11-23T07:00:00.000Z' };
      await rules.getState().receive(host);
      // Waiting for the next candidate: the gate does not change yet.
      expect(station.getState().gate).toMatchObject({ limitHours: 48, blocked: false });
      await rules.getState().adoptPending();
      expect(station.getState().gate).toMatchObject({ limitHours: 24, blocked: true, age: { ageHours: 30 } });
    } finally {
      stop();
    }
  });
});

describe('readiness under the rules', () => {
  it('asks for the camera once an adopted bundle requires the face check the station had switched off', async () => {
    const station = createStationStore();
    // No camera, no photo: this point's config switches both camera steps off.
    station.setState({ info: info({ policy: { rosterMaxAgeHours: 48, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'off' } }) });
    const sync = createStore<SyncState>()(() => ({}) as SyncState);
    const checkIn = createStore<CheckInState>()(() => ({ flow: { step: 'identify' } }) as CheckInState);
    let host: RulesCurrent = { source: 'builtin', bundle: BUILTIN_RULES };
    const rules = createRulesStore({ api: { call: async () => host } as never });
    await rules.getState().load();
    const desk = deskSettings({ info: () => station.getState().info, bundle: () => rules.getState().active.bundle });
    const readiness = createReadinessStore({
      probe: async () => ({ checkedAt: '2026-11-23T08:00:00.000Z', freeDiskBytes: 50 * 1024 ** 3 }),
      inputs: () => ({ devices: [], policy: desk.policy(), gate: undefined, backlog: { pending: 0, needsAttention: 0, lastSuccessAt: undefined, enrolled: true } }),
    });
    const stop = watchReadiness({ readiness, station, sync, checkIn, rules });
    try {
      await vi.waitFor(() => expect(readiness.getState().checking).toBe(false));
      expect(readiness.getState().problems.map((p) => p.id)).not.toContain('camera');
      host = { source: 'central', bundle: nm, downloadedAt: '2026-11-23T07:00:00.000Z' };
      await rules.getState().receive(host);
      await rules.getState().adoptPending();
      expect(readiness.getState().problems).toContainEqual(expect.objectContaining({ id: 'camera', severity: 'blocking' }));
    } finally {
      stop();
    }
  });
});
