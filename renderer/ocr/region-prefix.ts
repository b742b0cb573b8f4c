/**
 * Address and issuing-authority prefixes checked against the GB/T 2260 region names (province, city, county):
 * a reading whose start is close to exactly one region chain gets that chain's spelling; the rest of the text
 * is left as read. Nothing is added that the card did not show: a prefix is replaced, never appended.
 */
import { editDistance } from './nation-snap.js';

/** code → name per parent code, as china-area-data ships it: { '86': {provinces}, '110000': {…}, … }. */
export type AreaData = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Levels a printed address skips: 市辖区 under the municipalities, 省直辖县级行政区划 and the like. */
const PSEUDO = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/u;

export interface RegionChain {
  /** 6-digit code of the last level. */
  code: string;
  /** Names as printed in order (the pseudo levels left out). */
  names: string[];
  /** The next level down (cities of a province, counties of a city). */
  children: RegionChain[];
}

export interface RegionIndex {
  /** Provinces, each with its cities (or, for the municipalities, its districts) and their counties. */
  chains: RegionChain[];
  /** Prefecture-level cities and counties, for authorities (…市公安局…分局, …县公安局). */
  cities: Map<string, RegionChain>;
  /** Counties under each city code (4-digit prefix), for the 分局 part of an authority. */
  countiesOf: Map<string, string[]>;
}

export function buildRegionIndex(data: AreaData): RegionIndex {
  const chains: RegionChain[] = [];
  const cities = new Map<string, RegionChain>();
  const countiesOf = new Map<string, string[]>();
  const six = (code: string) => /^\d{6}$/u.test(code);
  for (const [pCode, pName] of Object.entries(data['86'] ?? {})) {
    if (!six(pCode)) continue;
    const province: RegionChain = { code: pCode, names: [pName], children: [] };
    chains.push(province);
    // The municipalities issue cards as a whole city (北京市公安局…分局).
    if (pName.endsWith('市')) cities.set(pName, province);
    for (const [cCode, cName] of Object.entries(data[pCode] ?? {})) {
      if (!six(cCode)) continue;
      const pseudo = PSEUDO.test(cName);
      const city: RegionChain = pseudo ? province : { code: cCode, names: [pName, cName], children: [] };
      if (!pseudo) {
        province.children.push(city);
        cities.set(cName, city);
      }
      const counties: string[] = [];
      for (const [kCode, kName] of Object.entries(data[cCode] ?? {})) {
        if (!six(kCode) || PSEUDO.test(kName)) continue;
        const county: RegionChain = { code: kCode, names: [...city.names, kName], children: [] };
        city.children.push(county);
        counties.push(kName);
        // Counties and county-level cities issue cards themselves (…县公安局).
        if (!cities.has(kName)) cities.set(kName, county);
      }
      const prefix = (pseudo ? pCode : cCode).slice(0, pseudo ? 2 : 4);
      countiesOf.set(prefix, [...(countiesOf.get(prefix) ?? []), ...counties]);
    }
  }
  return { chains, cities, countiesOf };
}

/** Key of the county list an authority's 分局 is looked up in: the city's 4 digits, a municipality's 2. */
function countyKey(chain: RegionChain): string {
  return chain.names.length === 1 ? chain.code.slice(0, 2) : chain.code.slice(0, 4);
}

/** Edit distances of `pattern` against every prefix of `text` (index = prefix length). */
function prefixDistances(pattern: readonly string[], text: readonly string[], maxLen: number): number[] {
  const n = Math.min(text.length, maxLen);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= pattern.length; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (pattern[i - 1] === text[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev;
}

export interface PrefixFix {
  text: string;
  /** The chain whose names now start the text, if one was matched (corrected or already right). */
  code: string | undefined;
  /** Characters changed (0 when the prefix was already right or nothing matched). */
  edits: number;
}

/** Edits allowed for a prefix of this many characters: one in four, at least one, and none for two or fewer. */
function allowance(length: number): number {
  return length <= 2 ? 0 : Math.max(1, Math.floor(length / 4));
}

interface Candidate {
  chain: RegionChain;
  joined: string;
  cost: number;
  /** Reading characters the chain replaces. */
  consumed: number;
}

function matchChain(chars: readonly string[], chain: RegionChain): Candidate | undefined {
  const joined = chain.names.join('');
  const pattern = Array.from(joined);
  if (pattern.length > chars.length + 2) return undefined;
  const row = prefixDistances(pattern, chars, pattern.length + 2);
  let cost = Number.POSITIVE_INFINITY;
  let consumed = 0;
  for (let j = Math.max(0, pattern.length - 2); j < row.length; j++) {
    const d = row[j] ?? Number.POSITIVE_INFINITY;
    // Ties in length: prefer consuming exactly the pattern's length (a substitution, not a shift).
    if (d < cost || (d === cost && Math.abs(j - pattern.length) < Math.abs(consumed - pattern.length))) {
      cost = d;
      consumed = j;
    }
  }
  return cost <= allowance(pattern.length) ? { chain, joined, cost, consumed } : undefined;
}

/**
 * The deepest chain (county before city before province) that fits the start of `chars`: within one edit in
 * four characters overall, its own last name adding at most its own allowance to its parent's cost, and no
 * other spelling fitting as well at that depth (a tie nobody may break by guessing, unless one of them is the
 * number's own region). A tie falls back to the level above, whose spelling the rivals share.
 */
function bestChain(chars: readonly string[], chains: readonly RegionChain[], hintCode?: string): Candidate | undefined {
  const byDepth: Candidate[][] = [[], [], []];
  // Down the tree: a city is tried only under a province that fits, a county only under a city that fits.
  const walk = (level: readonly RegionChain[], parent: Candidate | undefined) => {
    for (const chain of level) {
      const c = matchChain(chars, chain);
      if (!c) continue;
      const last = chain.names.at(-1) ?? '';
      if (parent && c.cost - parent.cost > allowance(Array.from(last).length + 1)) continue;
      byDepth[Math.min(2, chain.names.length - 1)]?.push(c);
      walk(chain.children, c);
    }
  };
  walk(chains, undefined);
  for (let depth = 2; depth >= 0; depth--) {
    const level = byDepth[depth] ?? [];
    if (level.length === 0) continue;
    const min = Math.min(...level.map((c) => c.cost));
    const top = level.filter((c) => c.cost === min);
    const spellings = new Set(top.map((c) => c.joined));
    if (spellings.size === 1) return top[0];
    const hinted = hintCode === undefined ? undefined : top.find((c) => c.chain.code === hintCode);
    if (hinted) return hinted;
  }
  return undefined;
}

/**
 * Correct the province/city/county at the start of an address. `hintCode` (the citizen number's first six
 * digits) only breaks ties: people move, and the address is what the card prints.
 */
export function correctAddressPrefix(text: string, index: RegionIndex, hintCode?: string): PrefixFix {
  const chars = Array.from(text);
  const best = bestChain(chars, index.chains, hintCode);
  if (!best) return { text, code: undefined, edits: 0 };
  const fixed = best.joined + chars.slice(best.consumed).join('');
  return { text: fixed, code: best.chain.code, edits: best.cost };
}

const BUREAU = '公安局';

/**
 * Correct an issuing authority: `<city or county>公安局[<county>分局]`. The city (or county) is matched against
 * the region names, 公安局 is fixed text, and the county before 分局 is matched against that city's counties
 * (printed with or without its 区/县 suffix). Anything else is left as read.
 */
export function correctAuthority(text: string, index: RegionIndex): PrefixFix {
  const chars = Array.from(text);
  // Where 公安局 is: the three characters at most one edit from it, earliest after at least two characters.
  let at = -1;
  for (let i = 2; i + 3 <= chars.length; i++) {
    if (editDistance(chars.slice(i, i + 3).join(''), BUREAU) <= 1) {
      at = i;
      break;
    }
  }
  if (at < 0) return { text, code: undefined, edits: 0 };
  const head = chars.slice(0, at);
  const cityCandidates = [...index.cities].map(([name, chain]) => ({ name, chain }));
  let city: { name: string; chain: RegionChain; cost: number } | undefined;
  let tie = false;
  for (const c of cityCandidates) {
    const cost = editDistance(head.join(''), c.name);
    if (cost > allowance(Array.from(c.name).length)) continue;
    if (!city || cost < city.cost) {
      city = { ...c, cost };
      tie = false;
    } else if (cost === city.cost && c.name !== city.name) tie = true;
  }
  const cityText = city && !tie ? city.name : head.join('');
  let edits = city && !tie ? city.cost : 0;
  edits += editDistance(chars.slice(at, at + 3).join(''), BUREAU);
  let rest = chars.slice(at + 3).join('');
  const branch = /^(.+?)分局$/u.exec(rest) ?? /^(.+?)分[^分]$/u.exec(rest);
  if (city && !tie && branch) {
    const read = branch[1] ?? '';
    const counties = index.countiesOf.get(countyKey(city.chain)) ?? [];
    const forms = counties.flatMap((name) => [name, name.replace(/(区|县|市)$/u, '')]).filter((f) => Array.from(f).length >= 1);
    let pick: { form: string; cost: number } | undefined;
    let branchTie = false;
    for (const form of new Set(forms)) {
      const cost = editDistance(read, form);
      if (cost > allowance(Array.from(form).length + 2)) continue;
      if (!pick || cost < pick.cost) {
        pick = { form, cost };
        branchTie = false;
      } else if (cost === pick.cost && form !== pick.form) branchTie = true;
    }
    if (pick && !branchTie) {
      edits += editDistance(rest, `${pick.form}分局`);
      rest = `${pick.form}分局`;
    }
  }
  return { text: `${cityText}${BUREAU}${rest}`, code: city && !tie ? city.chain.code : undefined, edits };
}
