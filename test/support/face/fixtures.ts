import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared face fixtures, read in place (TEST USE ONLY: never copied into the repository, shipped or shown).
 * FACE_FIXTURES_DIR overrides the location; tests skip when the folder is absent.
 */
export const faceFixturesRoot =
  process.env['FACE_FIXTURES_DIR'] ?? path.resolve(fileURLToPath(new URL('../../..', import.meta.url)), '../shared/fixtures');

export type FixtureGroup = 'east-asian' | 'southeast-asian' | 'other';

/** Groups as stated in faces-lfw/SOURCES.md; the faces/ folder (TV stills, press photos) is all 'other'. */
const eastAsian = new Set([
  'Hu_Jintao', 'Zhu_Rongji', 'Wen_Jiabao', 'Li_Zhaoxing', 'Jackie_Chan', 'Yu_Shyi-kun', 'Yoriko_Kawaguchi', 'Hitomi_Soga',
  'Ai_Sugiyama', 'Yoko_Ono', 'Choi_Sung-hong', 'Jong_Wook_Lee', 'Kim_Ryong-sung', 'Edward_Lu', 'Candie_Kung',
]);
const southeastAsian = new Set(['Gloria_Macapagal_Arroyo']);

export interface FixturePhoto {
  /** `<set>/<identity>/<file>`: a test label, never printed together with results about a person's data. */
  readonly id: string;
  readonly file: string;
  readonly identity: string;
  readonly set: 'faces' | 'faces-lfw';
  readonly group: FixtureGroup;
  /** The face-api.js images are 150×150 tight greyscale crops (the detector needs them padded). */
  readonly tightCrop: boolean;
}

export function faceFixturesAvailable(): boolean {
  return existsSync(path.join(faceFixturesRoot, 'faces-lfw')) && existsSync(path.join(faceFixturesRoot, 'faces'));
}

export function listFacePhotos(): FixturePhoto[] {
  const out: FixturePhoto[] = [];
  for (const set of ['faces', 'faces-lfw'] as const) {
    const root = path.join(faceFixturesRoot, set);
    for (const identity of readdirSync(root).sort()) {
      const dir = path.join(root, identity);
      if (!statSync(dir).isDirectory()) continue;
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(jpe?g|png)$/i.test(name)) continue;
        out.push({
          id: `${set}/${identity}/${name}`,
          file: path.join(dir, name),
          identity: `${set}/${identity}`,
          set,
          group: eastAsian.has(identity) ? 'east-asian' : southeastAsian.has(identity) ? 'southeast-asian' : 'other',
          tightCrop: set === 'faces' && name.endsWith('.png') && ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon'].includes(identity),
        });
      }
    }
  }
  return out;
}

export function photosOf(identity: string): FixturePhoto[] {
  return listFacePhotos().filter((p) => p.identity.endsWith(`/${identity}`));
}
