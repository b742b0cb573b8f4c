import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  root: string;
  rendererDir: string;
  assetsDir: string;
  sampleRoster: string;
}

export function appPathsFrom(root: string, assetsDir = path.join(root, 'assets')): AppPaths {
  return {
    root,
    rendererDir: path.join(root, 'dist', 'renderer'),
    assetsDir,
    sampleRoster: path.join(assetsDir, 'roster', 'sample-roster.json'),
  };
}

/** The project root, `depth` folders above the calling module (each entry point knows where it sits). */
export function appRootFrom(moduleUrl: string, depth: number): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < depth; i += 1) dir = path.dirname(dir);
  return dir;
}
