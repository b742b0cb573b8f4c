import type { KioskResponse, KioskView } from '../../core/contract/kiosk.js';
import type { KioskStatus } from '../../core/contract/station-api.js';
import { ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** Which answers each view asks for. */
const acceptedAnswers: Record<Exclude<KioskView['kind'], 'idle'>, readonly KioskResponse['kind'][]> = {
  'verify-info': ['confirm', 'report-error'],
  pledge: ['signature'],
  done: [],
};

/**
 * The only link between the staff window and the candidate's kiosk: staff pushes a view, the kiosk
 * answers for the session it was shown. Answers for any other session are refused.
 */
export class KioskRelay {
  #view: KioskView = { kind: 'idle' };
  /** Each view takes one answer; staff shows a new view to ask again. */
  #answer: KioskResponse | null = null;

  constructor(
    private readonly sink: {
      toKiosk: (view: KioskView) => void;
      toStaff: (response: KioskResponse) => void;
    },
  ) {}

  get current(): KioskView {
    return this.#view;
  }

  get status(): KioskStatus {
    return { view: this.#view, answer: this.#answer };
  }

  show(view: KioskView): void {
    this.#view = view;
    this.#answer = null;
    this.sink.toKiosk(view);
  }

  respond(response: KioskResponse): void {
    const view = this.#view;
    if (view.kind === 'idle' || view.sessionId !== response.sessionId || this.#answer) {
      throw new ValidationError('kiosk response for a view that is not awaiting one', zhCN.kiosk.staleSession);
    }
    if (!acceptedAnswers[view.kind].includes(response.kind)) {
      throw new ValidationError(`${response.kind} is not an answer to ${view.kind}`, zhCN.kiosk.staleSession);
    }
    this.#answer = response;
    this.sink.toStaff(response);
  }
}
