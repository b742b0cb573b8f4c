/**
 * Lab step 3: the calibration's pairs and operating points over cached embeddings (scripts/face/lab/embed.ts),
 * per variant: `tsx score.ts base fplm` or a composite `tsx score.ts fplm,chip=chip-jitter` (the chip references
 * of one variant, everything else of another). Aggregate figures only. TEST USE ONLY.
 */
import { readFile } from 'node:fs/promises';
import { atFalseAccept, pairDistances, type DescribedPhoto } from '../pair-stats.js';
import type { FixtureGroup } from '../../../test/support/face/fixtures.js';

interface Row { identity: string; group: FixtureGroup }
type Side = 'ref' | 'live' | 'chip';
type Embeddings = Partial<Record<Side, number[]>>[];

const rows = JSON.parse(await readFile('/tmp/facelab/detections.json', 'utf8')) as Row[];
const load = async (name: string): Promise<Embeddings> => JSON.parse(await readFile(`/tmp/facelab/emb-${name}.json`, 'utf8')) as Embeddings;
const pct = (x: number): string => `${(x * 100).toFixed(2)}`;

for (const spec of process.argv.slice(2)) {
  const [base, ...overrides] = spec.split(',');
  const e = await load(base!);
  for (const o of overrides) {
    const [side, name] = o.split('=') as [Side, string];
    const other = await load(name);
    other.forEach((x, i) => {
      if (x[side]) e[i]![side] = x[side];
    });
  }
  const side = (s: Side): (DescribedPhoto | undefined)[] => rows.map((r, i) => (e[i]?.[s] ? { identity: r.identity, group: r.group, descriptor: Float32Array.from(e[i]![s]!) } : undefined));
  const live = side('live');
  const cells: string[] = [];
  for (const keep of [(p: DescribedPhoto) => p.group === 'east-asian', () => true]) {
    for (const refs of [side('ref'), side('chip')]) {
      const pairs = pairDistances(live, keep, 'cosine', refs);
      cells.push(`${pct(atFalseAccept(pairs, 0.001).genuineAccept)} / ${pct(atFalseAccept(pairs, 0.0001).genuineAccept)}`);
    }
  }
  console.log(`| ${spec} | ${cells.join(' | ')} |`);
}
