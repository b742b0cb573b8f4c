import { parseCitizenId } from '../../core/citizen-id/citizen-id.js';
import type { RosterSeed } from '../../core/contract/roster.js';
import type { SimulatedReaderAction } from '../../core/contract/station-api.js';
import { DeviceError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { FoundDevice } from '../../native/discovery/hid-discovery.js';
import { syntheticCard, syntheticCards } from '../../native/idcard-reader/simulator/card-image.js';
import { SimulatedHidTransport } from '../../native/simulators/simulated-transports.js';
import { VirtualSam, type SamFault, type FaultOptions, type SamTiming } from '../../native/idcard-reader/simulator/virtual-sam.js';
import type { ByteTransport } from '../../native/transport/byte-transport.js';
import type { SimulatedHardware } from './device-manager.js';

/** The virtual reader looks like the HID reader of spec §9.3, so the HID report path is the one exercised. */
const SIMULATED_READER: FoundDevice = { bus: 'sim', vendorId: 0x2b8b, productId: 0x2721, path: 'sim:idcard-reader', product: undefined };

const faults: Record<Extract<SimulatedReaderAction, { action: 'fault' }>['fault'], [SamFault, FaultOptions]> = {
  'bad-checksum': [{ kind: 'bad-checksum' }, { on: 'read' }],
  truncated: [{ kind: 'truncated' }, { on: 'read' }],
  'no-reply': [{ kind: 'no-reply' }, { on: 'read' }],
  'stray-bytes': [{ kind: 'stray-bytes' }, { on: 'read' }],
  'status-41': [{ kind: 'status', sw3: 0x41 }, { on: 'read' }],
  'status-31': [{ kind: 'status', sw3: 0x31 }, { on: 'read' }],
  'status-80': [{ kind: 'status', sw3: 0x80 }, { on: 'findCard' }],
  'status-81': [{ kind: 'status', sw3: 0x81 }, { on: 'selectCard' }],
  'removed-mid-read': [{ kind: 'card-removed-mid-read' }, { on: 'read' }],
};

/**
 * A simulated ID card reader for demos and tests: a byte-exact virtual SAM that appears in discovery while
 * "plugged in". Cards are built from the synthetic sample roster only, never from real registrations.
 */
export class SimulatedReaderRig implements SimulatedHardware {
  readonly sam: VirtualSam;

  constructor(options: { timing: SamTiming }) {
    this.sam = new VirtualSam({ timing: options.timing });
  }

  get found(): FoundDevice | undefined {
    return this.sam.plugged ? SIMULATED_READER : undefined;
  }

  onChange(listener: () => void): () => void {
    return this.sam.onPlugChange(() => listener());
  }

  /** The simulated link uses the configured report id, so the HID report handling under test is the real one. */
  openTransport(options: { reportId: number | null }): ByteTransport {
    return new SimulatedHidTransport(this.sam, { reportId: options.reportId });
  }

  async act(action: SimulatedReaderAction, loadRoster: () => Promise<RosterSeed>): Promise<void> {
    switch (action.action) {
      case 'place': {
        const roster = await loadRoster();
        // Fabricating a card for a real registration would put a real person's data on a fake document.
        if (!roster.synthetic) throw new DeviceError('simulated cards need the synthetic roster', zhCN.device.simulatorNeedsSampleRoster);
        const entry = roster.entries.find((e) => e.citizenId === action.citizenId);
        const parsed = parseCitizenId(action.citizenId);
        const sex = entry?.sex ?? (parsed.ok ? parsed.value.sex : 'female');
        this.sam.placeCard(syntheticCard({ name: entry?.name ?? zhCN.device.simulatedHolder, citizenId: action.citizenId, sex }));
        return;
      }
      case 'place-fixture': {
        const make = { 'hmt-residence': syntheticCards.hmt, 'foreign-2017': syntheticCards.foreign2017, 'foreign-2023': syntheticCards.foreign2023 };
        this.sam.placeCard(make[action.fixture]());
        return;
      }
      case 'remove':
        this.sam.removeCard();
        return;
      case 'unplug':
        this.sam.unplug();
        return;
      case 'replug':
        this.sam.replug();
        return;
      case 'fault': {
        const [fault, options] = faults[action.fault];
        this.sam.injectFault(fault, options);
        return;
      }
    }
  }

  dispose(): void {
    this.sam.dispose();
  }
}
