import type { KioskResponse, KioskView } from '../../core/contract/kiosk.js';
import { ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * The only link between the staff window and the candidate's kiosk: staff pushes a view, the kiosk
 * answers for the session it was shown. Answers for any other session are refused.
 */
export class KioskRelay {
  #view: KioskView = { kind: 'idle' };

  constructor(
    private readonly sink: {
      toKiosk: (view: KioskView) => void;
      toStaff: (response: KioskResponse) => void;
    },
  ) {}

  get current(): KioskView {
    return this.#view;
  }

  show(view: KioskView): void {
    this.#view = view;
    this.sink.toKiosk(view);
  }

  respond(response: KioskResponse): void {
    const view = this.#view;
    if (view.kind === 'idle' || view.sessionId !== response.sessionId) {
      throw new ValidationError('kiosk response for a session that is not on screen', zhCN.kiosk.staleSession);
    }
    this.sink.toStaff(response);
  }
}
