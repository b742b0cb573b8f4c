/**
 * OcrEngine over tesseract.js, for Node and the browser alike (the package picks its Node or browser worker by
 * its own `browser` field). Every path is passed in explicitly: without a local `langPath` tesseract.js
 * downloads models from a CDN, which offline crashes or hangs, and in the browser its default worker and core
 * come from a CDN too.
 */
import Tesseract from 'tesseract.js';
import { OcrError } from '../../core/errors/ocr-error.js';
import type { OcrEngine, OcrScript, RecognizeOptions, RecognizeResult } from './engine.js';
import { encodeBmp, type GrayImage } from './image.js';

export interface TesseractEngineOptions {
  /**
   * Folder (Node: file path; browser: URL) holding `<lang>.traineddata.gz` per script: `chi_sim` for 'chinese',
   * `eng` for 'latin'. One string when both files sit in the same folder.
   */
  langPath: string | Readonly<Record<OcrScript, string>>;
  /** Browser: URL of tesseract.js `worker.min.js`. Node: leave undefined (the package's own worker file). */
  workerPath?: string | undefined;
  /** Browser: URL of the folder with tesseract.js-core `*.wasm.js`. Node: leave undefined. */
  corePath?: string | undefined;
  /** Give up starting a worker (loading its model) after this long. Default 60 s. */
  startTimeoutMs?: number | undefined;
}

const LANG: Readonly<Record<OcrScript, string>> = { chinese: 'chi_sim', latin: 'eng' };

const PSM_FOR: Readonly<Record<RecognizeOptions['layout'], Tesseract.PSM>> = {
  line: '7' as Tesseract.PSM,
  block: '6' as Tesseract.PSM,
  page: '3' as Tesseract.PSM,
};

interface Slot {
  worker: Promise<Tesseract.Worker>;
  /** Jobs on one worker run one after another: parameters and the image they apply to must not interleave. */
  queue: Promise<unknown>;
  params: string;
}

/**
 * Workers are created on first use and then reused: loading the Chinese model takes about a second, a field
 * crop takes tens of milliseconds.
 */
export class TesseractEngine implements OcrEngine {
  private readonly slots = new Map<OcrScript, Slot>();
  private terminated = false;

  constructor(private readonly options: TesseractEngineOptions) {}

  /** Loads both models now (e.g. while the staff window is idle) instead of on the first card. */
  async warmUp(): Promise<void> {
    await Promise.all((['chinese', 'latin'] as const).map((s) => this.slot(s).worker));
  }

  private slot(script: OcrScript): Slot {
    if (this.terminated) throw new OcrError('engine', 'engine already terminated');
    let slot = this.slots.get(script);
    if (!slot) {
      const langPath = typeof this.options.langPath === 'string' ? this.options.langPath : this.options.langPath[script];
      const workerOptions: Partial<Tesseract.WorkerOptions> = {
        langPath,
        // Never write *.traineddata into the working directory (Node) or IndexedDB (browser).
        cacheMethod: 'none',
        gzip: true,
        // A blob: worker would need `worker-src blob:` in the CSP; a plain worker URL does not.
        workerBlobURL: false,
        ...(this.options.workerPath === undefined ? {} : { workerPath: this.options.workerPath }),
        ...(this.options.corePath === undefined ? {} : { corePath: this.options.corePath }),
      };
      // tesseract.js reports a failed model load only through `errorHandler` (without one it throws inside its
      // message handler and the start promise never settles), so route it into the start promise, with a
      // deadline for loads that simply hang.
      let fail: (error: unknown) => void = () => undefined;
      const failed = new Promise<never>((_, reject) => {
        fail = reject;
      });
      const deadline = setTimeout(() => fail(new Error('start timed out')), this.options.startTimeoutMs ?? 60_000);
      const worker = Promise.race([
        Tesseract.createWorker(LANG[script], Tesseract.OEM.LSTM_ONLY, { ...workerOptions, errorHandler: (e: unknown) => fail(e) }),
        failed,
      ])
        .catch((error: unknown) => {
          throw new OcrError('engine', `tesseract worker for ${script} failed to start`, { cause: error });
        })
        .finally(() => clearTimeout(deadline));
      // A failed start must not poison later calls with the same rejected promise forever.
      worker.catch(() => this.slots.delete(script));
      slot = { worker, queue: Promise.resolve(), params: '' };
      this.slots.set(script, slot);
    }
    return slot;
  }

  recognize(image: GrayImage, options: RecognizeOptions): Promise<RecognizeResult> {
    const slot = this.slot(options.script);
    const run = async (): Promise<RecognizeResult> => {
      const worker = await slot.worker;
      const params = JSON.stringify([options.layout, options.whitelist ?? '']);
      if (params !== slot.params) {
        await worker.setParameters({
          tessedit_pageseg_mode: PSM_FOR[options.layout],
          tessedit_char_whitelist: options.whitelist ?? '',
          // Chinese has no spaces between characters; tesseract otherwise inserts them between glyphs.
          preserve_interword_spaces: '1',
          // Crops carry no resolution; without a value tesseract guesses one and says so on stdout.
          user_defined_dpi: '300',
        });
        slot.params = params;
      }
      const bytes = encodeBmp(image);
      // tesseract.js types list Buffer/Blob; both builds accept plain encoded bytes (they wrap in Uint8Array).
      const result = await worker.recognize(bytes as unknown as Tesseract.ImageLike, {}, { text: true, blocks: true });
      const chars: RecognizeResult['chars'] = [];
      for (const block of result.data.blocks ?? []) {
        for (const para of block.paragraphs) {
          for (const line of para.lines) {
            for (const word of line.words) {
              for (const symbol of word.symbols) chars.push({ text: symbol.text, confidence: symbol.confidence / 100 });
            }
          }
        }
      }
      return { text: result.data.text.trim(), confidence: result.data.confidence / 100, chars };
    };
    const job = slot.queue.then(run, run);
    slot.queue = job.catch(() => undefined);
    return job.catch((error: unknown) => {
      if (error instanceof OcrError) throw error;
      throw new OcrError('engine', 'recognition failed', { cause: error });
    });
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const workers = [...this.slots.values()].map((s) => s.worker);
    this.slots.clear();
    await Promise.all(
      workers.map(async (w) => {
        try {
          await (await w).terminate();
        } catch {
          // A worker that never started has nothing to stop.
        }
      }),
    );
  }
}
