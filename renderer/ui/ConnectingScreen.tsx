import { zhCN } from '../../core/i18n/zh-CN.js';

/** Shown until the window's connection to its host is open. */
export function ConnectingScreen() {
  return (
    <div className="connecting" data-testid="connecting">
      <p>{zhCN.app.connecting}</p>
    </div>
  );
}
