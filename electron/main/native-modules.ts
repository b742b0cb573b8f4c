/**
 * The native device modules inside the packaged app: each must load, and its binary must come from
 * app.asar.unpacked (Electron can also extract a .node file from the asar to a temporary folder, which
 * works once and then breaks on locked-down machines that forbid running code from %TEMP%).
 * Kept free of Electron imports: main.ts passes the loader and the list of loaded binaries.
 */
export const nativeModules = [
  // The package the app imports, and where under node_modules its compiled binary lives (koffi's comes in a
  // per-platform package such as @koromix/koffi-win32-x64).
  { name: 'node-hid', binaryDir: 'node-hid/' },
  { name: 'serialport', binaryDir: '@serialport/bindings-cpp/' },
  { name: 'koffi', binaryDir: '@koromix/koffi-' },
] as const;
export type NativeModuleName = (typeof nativeModules)[number]['name'];

export interface NativeModuleStatus {
  name: NativeModuleName;
  loaded: boolean;
  /** The error's name only (its message can carry local paths). */
  error?: string;
  /** The module's binaries among the process's loaded shared objects (paths with forward slashes). */
  binaries: string[];
  /** Whether every one of them is under app.asar.unpacked; undefined when unknown (not packaged, or no list). */
  fromUnpacked: boolean | undefined;
}

export interface NativeModuleDeps {
  load(name: NativeModuleName): Promise<unknown>;
  /** Paths of the shared objects loaded into this process, or undefined where the platform cannot say. */
  loadedObjects(): readonly string[] | undefined;
  packaged: boolean;
}

const slashes = (file: string) => file.replace(/\\/g, '/');

/** Loads each module (they are loaded lazily in normal use) and reports where its binary came from. */
export async function checkNativeModules(deps: NativeModuleDeps): Promise<NativeModuleStatus[]> {
  const results: { name: NativeModuleName; loaded: boolean; error?: string }[] = [];
  for (const { name } of nativeModules) {
    try {
      await deps.load(name);
      results.push({ name, loaded: true });
    } catch (error) {
      results.push({ name, loaded: false, error: error instanceof Error ? error.name : typeof error });
    }
  }
  const objects = deps.loadedObjects()?.map(slashes);
  return results.map((result) => {
    const spec = nativeModules.find((module) => module.name === result.name)!;
    const binaries = (objects ?? []).filter((file) => file.endsWith('.node') && file.includes(`/node_modules/${spec.binaryDir}`));
    const fromUnpacked = !deps.packaged || objects === undefined || binaries.length === 0 ? undefined : binaries.every((file) => file.includes('/app.asar.unpacked/'));
    return { ...result, binaries, fromUnpacked };
  });
}

/** Whether the check passed: every module loaded and, where it can be seen, from app.asar.unpacked. */
export function nativeModulesOk(statuses: readonly NativeModuleStatus[]): boolean {
  return statuses.every((status) => status.loaded && status.fromUnpacked !== false);
}

/**
 * Shared objects loaded into this process: Node's diagnostic report lists them on every platform; Linux
 * also has /proc/self/maps. `readMaps` and `report` are passed in so tests need neither.
 */
export function loadedSharedObjects(source: {
  report?: (() => unknown) | undefined;
  readMaps?: (() => string) | undefined;
}): string[] | undefined {
  try {
    const report = source.report?.();
    if (typeof report === 'object' && report !== null && 'sharedObjects' in report && Array.isArray(report.sharedObjects)) {
      return report.sharedObjects.filter((entry): entry is string => typeof entry === 'string');
    }
  } catch {
    // Fall through to the maps file.
  }
  try {
    const maps = source.readMaps?.();
    if (maps === undefined) return undefined;
    const files = new Set<string>();
    for (const line of maps.split('\n')) {
      const file = line.slice(line.indexOf('/'));
      if (line.includes('/') && file.endsWith('.node')) files.add(file);
    }
    return [...files];
  } catch {
    return undefined;
  }
}
