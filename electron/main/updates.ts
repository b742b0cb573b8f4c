import type { StationConfig } from '../../host/config/station-config.js';

/**
 * Whether the installed app looks for updates, and where. Off by default: exam networks are closed, and a
 * station must never reach out on its own. Only a packaged app with `updates.url` in the station config
 * checks (electron-updater's generic provider: the folder holds latest.yml and the setup exe), and never
 * during a smoke run.
 */
export interface UpdateFeed {
  provider: 'generic';
  url: string;
}

export function updateFeed(config: Pick<StationConfig, 'updates'>, context: { packaged: boolean; smoke: boolean }): UpdateFeed | undefined {
  const url = config.updates.url;
  if (!url || !context.packaged || context.smoke) return undefined;
  // electron-updater joins file names onto the URL; without a trailing slash the last segment would be lost.
  return { provider: 'generic', url: url.endsWith('/') ? url : `${url}/` };
}
