import { afterEach, describe, expect, it } from 'vitest';
import type { IdCardData } from '../../../../core/contract/id-card.js';
import type { CardReaderError } from '../../../../core/errors/station-error.js';
import { ReaderSession, type PresenceModel, type ReaderState } from '../../../../native/idcard-reader/reader-session.js';
import { syntheticCard, syntheticCards } from '../../../../native/idcard-reader/simulator/card-image.js';
import { SimulatedHidTransport, SimulatedSerialTransport } from '../../../../native/simulators/simulated-transports.js';
import { VirtualSam, type VirtualSamOptions } from '../../../../native/idcard-reader/simulator/virtual-sam.js';
import { DECODED_BMP_SIZE, type WltPhotoDecoder } from '../../../../native/idcard-reader/photo-decoder.js';
import { LIN, ZHANG, sampleEntry } from '../../../support/sample-roster.js';
import { until } from '../../../support/eventually.js';

const sessions: ReaderSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
});

/** A session polling a virtual SAM quickly, recording everything it reports. */
async function rig(
  options: { sam?: VirtualSamOptions; presence?: PresenceModel; serial?: boolean; readFingerprint?: boolean; photoDecoder?: WltPhotoDecoder; before?: (sam: VirtualSam) => void } = {},
) {
  const sam = new VirtualSam({ timing: 'instant', ...options.sam });
  options.before?.(sam);
  const transport = options.serial ? new SimulatedSerialTransport(sam, { seed: 7 }) : new SimulatedHidTransport(sam);
  const session = new ReaderSession({
    transport,
    pollIntervalMs: 10,
    timeouts: { find: 80, select: 80, read: 150, readFingerprint: 150 },
    presence: options.presence ?? 'latched',
    readFingerprint: options.readFingerprint ?? true,
    ...(options.photoDecoder ? { photoDecoder: options.photoDecoder } : {}),
  });
  const log = { cards: [] as IdCardData[], removed: 0, errors: [] as CardReaderError[], states: [] as ReaderState[] };
  session.on('card', (card) => log.cards.push(card));
  session.on('removed', () => (log.removed += 1));
  session.on('error', (error) => log.errors.push(error));
  session.on('state', (state) => log.states.push(state));
  sessions.push(session);
  await session.start();
  return { sam, session, log };
}

/**
 * Resolves once the SAM has taken up `count` more commands: "nothing else happened while the session kept polling"
 * is then a fact about polls, not about how fast the machine is.
 */
const afterPolls = (sam: VirtualSam, count: number) =>
  new Promise<void>((resolve) => {
    let seen = 0;
    const off = sam.onCommand(() => {
      seen += 1;
      if (seen >= count) {
        off();
        resolve();
      }
    });
  });

describe('ReaderSession over the virtual SAM', () => {
  it('reads a placed card once, however long it lies there, with its chip fingerprint', async () => {
    const { sam, log } = await rig();
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    await afterPolls(sam, 20);
    expect(log.cards).toHaveLength(1);
    expect(log.cards[0]).toMatchObject({ source: 'chip', cardType: 'resident', name: '林晓雨', idNumber: LIN, sex: 'female', nation: '汉' });
    expect(Buffer.from(log.cards[0]!.fingerprint!, 'base64')).toHaveLength(1024);
    expect(Buffer.from(log.cards[0]!.photoWlt!, 'base64')).toHaveLength(1024);
    expect(log.errors).toEqual([]);
    expect(log.states).toContain('reading');
  });

  it('on a latched reader, learns of the removal when the next card arrives', async () => {
    const { sam, log } = await rig();
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    sam.removeCard();
    await afterPolls(sam, 10);
    expect(log.removed).toBe(0);
    sam.placeCard(syntheticCard(sampleEntry(ZHANG)));
    await until(() => log.cards.length === 2);
    expect(log.removed).toBe(1);
    expect(log.cards[1]!.name).toBe('张浩然');
  });

  it('on a reader that keeps finding the card, reports removal when it leaves', async () => {
    const { sam, log } = await rig({ presence: 'field', sam: { readLatch: false } });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    await afterPolls(sam, 15);
    expect(log.cards).toHaveLength(1);
    sam.removeCard();
    await until(() => log.removed === 1);
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 2);
  });

  it('falls back to text + photo when the reader has no fingerprint command, over a serial byte stream', async () => {
    const { sam, log } = await rig({ serial: true, sam: { fingerprintCommand: false } });
    sam.placeCard(syntheticCards.foreign2023());
    await until(() => log.cards.length === 1);
    expect(log.cards[0]).toMatchObject({ cardType: 'foreign-2023' });
    expect(log.cards[0]!.fingerprint).toBeUndefined();
    expect(log.errors).toEqual([]);
  });

  it('turns corrupt, cut-short and unanswered replies into typed errors and keeps polling', async () => {
    const { sam, log } = await rig();
    sam.injectFault({ kind: 'bad-checksum' }, { on: 'read' });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.errors.length === 1);
    expect(log.errors[0]).toMatchObject({ code: 'DEVICE', reason: 'bad-checksum' });
    // A latched SAM has read the card: staff must lift and re-place it.
    sam.removeCard();
    sam.injectFault({ kind: 'truncated' }, { on: 'read' });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.errors.length === 2);
    expect(log.errors[1]!.reason).toBe('truncated');
    sam.removeCard();
    sam.injectFault({ kind: 'no-reply' }, { on: 'findCard' });
    await until(() => log.errors.length === 3);
    expect(log.errors[2]).toMatchObject({ reason: 'timeout', userMessage: '身份证阅读器无响应，请检查USB连接；插好后会自动恢复。' });
    expect(log.states).toContain('fault');
    sam.placeCard(syntheticCard(sampleEntry(ZHANG)));
    await until(() => log.cards.length === 1);
    expect(log.cards[0]!.name).toBe('张浩然');
  });

  it('reports SAM status codes with what staff should do', async () => {
    const { sam, log } = await rig();
    sam.injectFault({ kind: 'card-removed-mid-read' });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.errors.length === 1);
    expect(log.errors[0]).toMatchObject({ reason: 'status', sw3: 0x41, userMessage: '读卡失败（证件可能被移动），请将证件移开后重新放置并保持不动。' });
    sam.injectFault({ kind: 'status', sw3: 0x31 }, { on: 'read' });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.errors.length === 2);
    expect(log.errors[1]).toMatchObject({ sw3: 0x31, userMessage: '证件认证失败，请将证件移开后重新放置。' });
  });

  it('ends with a disconnected error and "closed" when the reader is unplugged', async () => {
    const { sam, session, log } = await rig();
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    sam.unplug();
    await until(() => session.state === 'closed');
    expect(log.removed).toBe(1);
    expect(log.errors.at(-1)).toMatchObject({ reason: 'disconnected', userMessage: '身份证阅读器已断开，请检查USB连接；插好后会自动恢复。' });
    expect(log.states.at(-1)).toBe('closed');
  });

  it('identifies the SAM before polling, and reports a SAM that failed its self-test', async () => {
    const ok = await rig();
    expect(ok.session.samId?.display).toBe('05.01-20101201-0012345678-0123456789');
    const broken = await rig({ before: (sam) => sam.injectFault({ kind: 'status', sw3: 0x60 }, { on: 'samStatus' }) });
    expect(broken.session.state).toBe('fault');
    expect(broken.log.errors[0]).toMatchObject({ sw3: 0x60, userMessage: '身份证阅读器安全模块自检失败，请更换阅读器并联系技术支持。' });
  });

  it('resets a SAM that stopped answering, once, after three unanswered polls', async () => {
    const { sam, session, log } = await rig();
    const commands: string[] = [];
    sam.onCommand((event) => commands.push(event.kind));
    const clear = sam.injectFault({ kind: 'no-reply' }, { on: 'findCard', sticky: true });
    await until(() => commands.includes('resetSam'));
    // Reported once while it persists, not once per poll.
    expect(log.errors.filter((e) => e.reason === 'timeout')).toHaveLength(1);
    expect(commands.filter((c) => c === 'findCard').length).toBeGreaterThanOrEqual(3);
    clear();
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    expect(session.state).toBe('idle');
    expect(commands.filter((c) => c === 'resetSam')).toHaveLength(1);
  });

  it('adds a decoded chip photo when a vendor decoder is plugged in, and never fails a read over it', async () => {
    const bmp = new Uint8Array(DECODED_BMP_SIZE);
    const view = new DataView(bmp.buffer);
    bmp.set([0x42, 0x4d]);
    view.setInt32(18, 102, true);
    view.setInt32(22, 126, true);
    view.setUint16(28, 24, true);
    const good: WltPhotoDecoder = { name: 'fake', decode: async (wlt) => (wlt.length === 1024 ? bmp : new Uint8Array()) };
    const decoded = await rig({ photoDecoder: good });
    decoded.sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => decoded.log.cards.length === 1);
    expect(decoded.log.cards[0]!.photo).toBe(`data:image/bmp;base64,${Buffer.from(bmp).toString('base64')}`);

    const wrong: WltPhotoDecoder = { name: 'broken', decode: async () => new Uint8Array(10) };
    const failing = await rig({ photoDecoder: wrong });
    failing.sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => failing.log.cards.length === 1);
    expect(failing.log.cards[0]!.photo).toBeUndefined();
    expect(failing.log.cards[0]!.photoWlt).toBeDefined();
  });

  it('keeps reading fingerprints after one card that has none (91), but stops for a reader without the command (21)', async () => {
    const cardWithout = await rig({ sam: { noFingerprintReply: 'not-present' } });
    cardWithout.sam.placeCard(syntheticCard(sampleEntry(LIN), { fingerprintSize: 0 }));
    await until(() => cardWithout.log.cards.length === 1);
    cardWithout.sam.removeCard();
    cardWithout.sam.placeCard(syntheticCard(sampleEntry(ZHANG), { fingerprintSize: 1024 }));
    await until(() => cardWithout.log.cards.length === 2);
    expect(cardWithout.log.cards.map((c) => c.fingerprint !== undefined)).toEqual([false, true]);

    const noCommand = await rig({ sam: { fingerprintCommand: false } });
    const commands: string[] = [];
    noCommand.sam.onCommand((event) => commands.push(event.kind));
    noCommand.sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => noCommand.log.cards.length === 1);
    noCommand.sam.removeCard();
    noCommand.sam.placeCard(syntheticCard(sampleEntry(ZHANG)));
    await until(() => noCommand.log.cards.length === 2);
    expect(commands.filter((c) => c === 'readTextPhotoFingerprint')).toHaveLength(1);
  });

  it('does not take a late read reply for the answer to the next find', async () => {
    const sam = new VirtualSam({ timing: { samStatus: 0, readSamId: 0, findCard: 0, selectCard: 0, readTextPhotoFingerprint: 250 } });
    const session = new ReaderSession({
      transport: new SimulatedHidTransport(sam),
      pollIntervalMs: 10,
      timeouts: { find: 80, select: 80, readFingerprint: 100 },
    });
    sessions.push(session);
    const errors: CardReaderError[] = [];
    const cards: IdCardData[] = [];
    session.on('error', (e) => errors.push(e));
    session.on('card', (c) => cards.push(c));
    let lateReplySent = false;
    sam.onReply((bytes) => {
      if (bytes.length > 1000) lateReplySent = true;
    });
    await session.start();
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => errors.length >= 1);
    // Wait for the late reply itself, then for the session to poll on past it.
    await until(() => lateReplySent);
    await afterPolls(sam, 10);
    // The read timed out; its late reply (SW3 90 with 2 KB of data) must not become "find answered 90".
    expect(errors.map((e) => e.reason)).toEqual(['timeout']);
    expect(errors.some((e) => e.sw3 === 0x90)).toBe(false);
  });

  it('never leaves a stalled vendor photo decoder blocking the reader', async () => {
    const stuck: WltPhotoDecoder = { name: 'stuck', decode: () => new Promise(() => undefined) };
    const { sam, log } = await rig({ photoDecoder: stuck });
    sam.placeCard(syntheticCard(sampleEntry(LIN)));
    await until(() => log.cards.length === 1);
    expect(log.cards[0]!.photo).toBeUndefined();
    sam.removeCard();
    sam.placeCard(syntheticCard(sampleEntry(ZHANG)));
    await until(() => log.cards.length === 2);
  });

  it('does not start polling when the reader goes away while the session opens', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const transport = new SimulatedHidTransport(sam);
    const session = new ReaderSession({ transport, pollIntervalMs: 10 });
    const states: ReaderState[] = [];
    session.on('state', (s) => states.push(s));
    const started = session.start();
    sam.unplug();
    await expect(started).rejects.toMatchObject({ reason: 'disconnected' });
    expect(session.state).toBe('closed');
    expect(states).not.toContain('fault');
  });
});
