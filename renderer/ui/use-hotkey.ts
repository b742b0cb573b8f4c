import { useEffect } from 'react';

/** Runs `action` when `key` (e.g. 'F2') is pressed anywhere in the window, while `enabled`. */
export function useHotkey(key: string, action: () => void, enabled = true): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== key || event.repeat) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, action, enabled]);
}
