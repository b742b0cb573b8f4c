/**
 * The GB/T 2260 region names the pipeline corrects prefixes with: china-area-data (MIT), bundled into the OCR
 * worker (about 110 kB of JSON), indexed once on first use.
 */
import areaData from 'china-area-data/v5/data.json' with { type: 'json' };
import { buildRegionIndex, type AreaData, type RegionIndex } from './region-prefix.js';

let index: RegionIndex | undefined;

export function regionIndex(): RegionIndex {
  index ??= buildRegionIndex(areaData as AreaData);
  return index;
}
