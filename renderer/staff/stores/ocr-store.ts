import { createStore, type StoreApi } from 'zustand/vanilla';
import { isValidCitizenId } from '../../../core/citizen-id/citizen-id.js';
import type { FieldSource } from '../../../core/confirmation-flow/confirmation-flow.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { OcrReply, type OcrRequest, type OcrWarmUp } from '../../ocr-worker/ocr-protocol.js';
import type { IdCardOcrResult, ReviewReason } from '../../ocr/schema.js';
import type { RgbaImage } from '../../face/rgba.js';
import type { CheckInState } from './check-in-store.js';

export const ocrFieldKeys = ['name', 'sex', 'nation', 'birthDate', 'address', 'idNumber', 'issuingAuthority', 'validFrom', 'validTo'] as const;
export type OcrFieldKey = (typeof ocrFieldKeys)[number];

export interface OcrFieldView {
  key: OcrFieldKey;
  value: string;
  confidence: number;
  /** Still to be looked at by staff (highlighted). */
  needsReview: boolean;
  reasons: readonly ReviewReason[];
  source: 'ocr' | 'manual';
}

export type OcrPhase =
  | { status: 'idle' }
  | { status: 'reading' }
  | { status: 'review'; fields: OcrFieldView[]; message?: string }
  | { status: 'error'; message: string };

/** OCR fill when there is no chip read: images → worker → fields to check → the candidate's lookup. */
export interface OcrState {
  phase: OcrPhase;
  /** Card sides taken with the desk camera, waiting for 识别. */
  captured: { front: boolean; back: boolean };
  read(front: Blob, back?: Blob): Promise<void>;
  /** Takes the current camera frame as one side of the card. */
  captureSide(side: 'front' | 'back'): Promise<void>;
  readCaptured(): Promise<void>;
  /** Starts the worker's engines (the panel was opened): the first card then does not wait ~15 s for them. */
  prepare(): void;
  edit(key: OcrFieldKey, value: string): void;
  confirmField(key: OcrFieldKey): void;
  /** All highlighted fields checked: look the candidate up with the (possibly corrected) number. */
  confirm(): Promise<void>;
  cancel(): void;
}

export interface OcrWorkerLike {
  postMessage(message: OcrRequest | OcrWarmUp): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export function createOcrStore(deps: {
  checkIn: StoreApi<CheckInState>;
  /** The desk camera (its current frame), for capturing a card instead of opening a file. */
  grabFrame?: () => Promise<RgbaImage>;
  /** The OCR worker, created on first use. */
  worker: () => OcrWorkerLike;
  decode: (image: Blob) => Promise<RgbaImage>;
}): StoreApi<OcrState> {
  let worker: OcrWorkerLike | undefined;
  const frames: { front?: RgbaImage; back?: RgbaImage } = {};
  let nextId = 0;
  const waiting = new Map<number, (reply: OcrReply) => void>();

  let warmed = false;
  const ensureWorker = (): OcrWorkerLike => {
    if (!worker) {
      worker = deps.worker();
      worker.addEventListener('message', (event) => {
        // The worker's output is a trust boundary: re-validated against the OCR schema.
        const reply = OcrReply.safeParse(event.data);
        if (!reply.success) return;
        waiting.get(reply.data.id)?.(reply.data);
        waiting.delete(reply.data.id);
      });
    }
    return worker;
  };
  const recognise = (request: Omit<OcrRequest, 'id'>): Promise<OcrReply> => {
    const target = ensureWorker();
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      target.postMessage({ id, ...request });
    });
  };

  return createStore<OcrState>()((set, get) => {
    const fields = (): OcrFieldView[] => {
      const phase = get().phase;
      return phase.status === 'review' ? phase.fields : [];
    };
    const update = (key: OcrFieldKey, change: (field: OcrFieldView) => OcrFieldView) =>
      set({ phase: { status: 'review', fields: fields().map((field) => (field.key === key ? change(field) : field)) } });

    const recogniseImages = async (frontImage: RgbaImage, backImage: RgbaImage | undefined) => {
      const reply = await recognise({ front: toPixels(frontImage), ...(backImage ? { back: toPixels(backImage) } : {}) });
      if (!reply.ok) {
        set({ phase: { status: 'error', message: reply.message } });
        return;
      }
      set({ phase: { status: 'review', fields: toFields(reply.result) } });
    };

    return {
      phase: { status: 'idle' },
      captured: { front: false, back: false },

      prepare() {
        if (warmed) return;
        warmed = true;
        ensureWorker().postMessage({ warmUp: true });
      },

      async captureSide(side) {
        if (!deps.grabFrame) return;
        try {
          frames[side] = await deps.grabFrame();
          set({ captured: { front: frames.front !== undefined, back: frames.back !== undefined } });
        } catch (error) {
          set({ phase: { status: 'error', message: toStationError(error).userMessage } });
        }
      },

      async readCaptured() {
        if (!frames.front) return;
        set({ phase: { status: 'reading' } });
        try {
          await recogniseImages(frames.front, frames.back);
        } catch (error) {
          set({ phase: { status: 'error', message: toStationError(error).userMessage } });
        }
      },

      async read(front, back) {
        set({ phase: { status: 'reading' } });
        try {
          const [frontImage, backImage] = await Promise.all([deps.decode(front), back ? deps.decode(back) : undefined]);
          await recogniseImages(frontImage, backImage);
        } catch (error) {
          set({ phase: { status: 'error', message: toStationError(error).userMessage } });
        }
      },

      edit(key, value) {
        // A typed value is the operator's, not the OCR's: it needs no further review.
        update(key, (field) => ({ ...field, value: value.slice(0, 80), source: 'manual', needsReview: false }));
      },

      confirmField(key) {
        update(key, (field) => ({ ...field, needsReview: false }));
      },

      async confirm() {
        const current = fields();
        if (current.some((field) => field.needsReview)) {
          set({ phase: { status: 'review', fields: current, message: zhCN.ocrPanel.mustReview } });
          return;
        }
        const number = current.find((field) => field.key === 'idNumber')?.value.toUpperCase() ?? '';
        if (!isValidCitizenId(number)) {
          set({ phase: { status: 'review', fields: current, message: zhCN.ocrPanel.numberInvalid } });
          return;
        }
        const sources = Object.fromEntries(current.filter((field) => field.value !== '').map((field) => [field.key, field.source])) as Record<string, FieldSource>;
        const name = current.find((field) => field.key === 'name')?.value ?? '';
        delete frames.front;
        delete frames.back;
        set({ phase: { status: 'idle' }, captured: { front: false, back: false } });
        await deps.checkIn.getState().identifyFromOcr(number, { name, fieldSources: sources });
      },

      cancel() {
        delete frames.front;
        delete frames.back;
        set({ phase: { status: 'idle' }, captured: { front: false, back: false } });
      },
    };
  });
}

function toPixels(image: RgbaImage): { width: number; height: number; data: Uint8ClampedArray } {
  const data = image.data instanceof Uint8ClampedArray ? image.data : new Uint8ClampedArray(image.data);
  return { width: image.width, height: image.height, data };
}

function toFields(result: IdCardOcrResult): OcrFieldView[] {
  const out: OcrFieldView[] = [];
  const add = (key: OcrFieldKey, field: { value: string; confidence: number; needsReview: boolean; reasons: readonly ReviewReason[] } | undefined) => {
    if (field) out.push({ key, value: field.value, confidence: field.confidence, needsReview: field.needsReview || field.value === '', reasons: field.reasons, source: 'ocr' });
  };
  const { front, back } = result;
  add('name', front?.name);
  add('sex', front?.sex);
  add('nation', front?.nation);
  add('birthDate', front?.birthDate);
  add('address', front?.address);
  add('idNumber', front?.idNumber);
  add('issuingAuthority', back?.issuingAuthority);
  add('validFrom', back?.validFrom);
  add('validTo', back?.validTo);
  return out;
}
