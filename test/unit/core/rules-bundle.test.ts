import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { candidateTypes } from '../../../core/contract/roster.js';
import { materialsByType } from '../../../core/eligibility/materials.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { RulesBundle, maySwitchOff, resolveCandidateType, requiredMaterials } from '../../../core/rules/bundle.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';
import { RulesError } from '../../../core/rules/rules-error.js';
import { generateRulesKeyPair, openSignedRules, rulesKeyInfo, rulesSigningText, signRules } from '../../../core/rules/signing.js';
import { canonicalJson } from '../../../core/util/canonical-json.js';

const nm = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')));
const hn = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/hn-zsb-2027.json', 'utf8')));

function issuesOf(value: unknown): string[] {
  const parsed = RulesBundle.safeParse(value);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('rules bundle', () => {
  it('parses both province samples with their types and papers', () => {
    expect(nm.candidateTypes.map((t) => t.label)).toEqual([
      '应届',
      '高职扩招',
      '三支一扶/西部计划',
      '专项计划/脱贫家庭',
      '获奖免试',
      '退役大学生士兵（区内）',
      '退役大学生士兵（区外）',
    ]);
    const veteranOutside = nm.candidateTypes.find((t) => t.id === 'veteran-external')!;
    expect(veteranOutside.materials.map((m) => m.label)).toEqual(expect.arrayContaining(['退役证（士兵退出现役证）', '入伍批准书', '户口簿原件']));
    expect(hn.candidateTypes.map((t) => t.label)).toEqual(['普通专升本', '免试生（获奖/退役）', '建档立卡/脱贫家庭']);
    // 湖南: the college checks the poverty certificate; the point only sees it is there.
    const poverty = hn.candidateTypes.find((t) => t.id === 'poverty')!.materials.find((m) => m.id === 'poverty-proof')!;
    expect(poverty.required).toBe(false);
    expect(poverty.hint).toContain('报考院校审核');
    expect(requiredMaterials(hn.candidateTypes.find((t) => t.id === 'poverty')!).map((m) => m.id)).not.toContain('poverty-proof');
    expect(nm.pledge.minReadSeconds).toBeGreaterThan(0);
    expect(nm.pledge.requireScrollToEnd).toBe(true);
  });

  it('expresses today’s hard-coded types, papers and pledge as the built-in default', () => {
    expect(BUILTIN_RULES.version).toBe('builtin-1');
    expect(BUILTIN_RULES.candidateTypes.map((t) => t.id)).toEqual([...candidateTypes]);
    for (const type of candidateTypes) {
      const rules = BUILTIN_RULES.candidateTypes.find((t) => t.id === type)!;
      expect(rules.label).toBe(zhCN.candidate.types[type]);
      expect(rules.materials.map((m) => m.id)).toEqual([...materialsByType[type]]);
    }
    expect(BUILTIN_RULES.pledge).toMatchObject({ version: zhCN.kiosk.pledgeVersion, title: zhCN.kiosk.pledgeTitle, paragraphs: [...zhCN.kiosk.pledge] });
    expect(maySwitchOff(BUILTIN_RULES, 'faceCheck')).toBe(true);
    expect(maySwitchOff(nm, 'faceCheck')).toBe(false);
    expect(maySwitchOff(nm, 'fingerprints')).toBe(true);
  });

  it('refuses bad bundles, saying which rule each breaks', () => {
    const [first, second] = nm.candidateTypes;
    expect(issuesOf({ ...nm, candidateTypes: [first, { ...second!, id: first!.id }] })).toEqual([expect.stringContaining('appears twice')]);
    expect(issuesOf({ ...nm, candidateTypes: [{ ...first!, materials: [] }] })[0]).toMatch(/^candidateTypes\.0\.materials/);
    expect(issuesOf({ ...nm, candidateTypes: [{ ...first!, materials: first!.materials.map((m) => ({ ...m, required: false })) }] })).toEqual([
      expect.stringContaining('has no required material'),
    ]);
    expect(issuesOf({ ...nm, candidateTypes: [{ ...first!, materials: [first!.materials[0]!, first!.materials[0]!] }] })).toEqual([
      expect.stringContaining('material id "id-card" appears twice'),
    ]);
    // One material id, two labels across types: the records would mix two papers up.
    const relabelled = { ...second!, materials: second!.materials.map((m) => (m.id === 'id-card' ? { ...m, label: '身份证复印件' } : m)) };
    expect(issuesOf({ ...nm, candidateTypes: [first, relabelled] })).toEqual([expect.stringContaining('has two labels')]);
    expect(issuesOf({ ...nm, switchableSteps: ['fingerprints', 'fingerprints'] })).toEqual([expect.stringContaining('appears twice')]);
    expect(issuesOf({ ...nm, candidateTypes: [{ ...first!, id: '应届' }] })[0]).toMatch(/^candidateTypes\.0\.id/);
    expect(issuesOf({ ...nm, format: 2 })[0]).toMatch(/^format/);
    expect(issuesOf({ ...nm, extra: true }).length).toBe(1);
    expect(issuesOf({ ...nm, face: { recognizer: 'faceplugin-fr-feature', threshold: 0.7, reviewBand: { lower: 0.4, upper: 0.6 } } })[0]).toMatch(/reviewBand must contain threshold/);
    expect(issuesOf({ ...nm, pledge: { ...nm.pledge, paragraphs: [] } })[0]).toMatch(/^pledge\.paragraphs/);
  });

  it('finds a roster entry’s type: exact id, then the one type covering its category, else staff choose', () => {
    expect(resolveCandidateType(nm, 'fresh-graduate')).toEqual({ kind: 'match', type: nm.candidateTypes[0] });
    expect(resolveCandidateType(hn, 'award-exempt')).toMatchObject({ kind: 'match', type: { id: 'exempt' } });
    expect(resolveCandidateType(nm, 'veteran-external')).toMatchObject({ kind: 'match', type: { id: 'veteran-external' } });
    const veteran = resolveCandidateType(nm, 'veteran');
    expect(veteran.kind === 'choose' && veteran.choices.map((t) => t.id)).toEqual(['veteran-local', 'veteran-external']);
    const unknown = resolveCandidateType(nm, 'past-graduate');
    expect(unknown.kind === 'choose' && unknown.choices.length).toBe(nm.candidateTypes.length);
  });
});

describe('signed rules', () => {
  const { privateKey, publicKey } = generateRulesKeyPair();
  const key = rulesKeyInfo(publicKey);

  it('round-trips: signed for a point, opened with the server key', () => {
    const envelope = signRules('NM-HHHT-01', nm, privateKey);
    expect(envelope.keyId).toBe(key.keyId);
    const opened = openSignedRules(JSON.parse(JSON.stringify(envelope)), key, 'NM-HHHT-01');
    expect(opened.bundle).toEqual(nm);
    expect(rulesSigningText('NM-HHHT-01', envelope.bundle)).toBe(`xianchang-rules-v1\n${canonicalJson({ pointCode: 'NM-HHHT-01', bundle: nm })}`);
    // Key order does not matter (jsonb reorders keys): the text is canonical JSON.
    const reordered = { ...envelope, bundle: Object.fromEntries(Object.entries(envelope.bundle).reverse()) };
    expect(openSignedRules(reordered, key, 'NM-HHHT-01').bundle.version).toBe(nm.version);
  });

  it('refuses one changed byte, another point, another key and a bundle that is not one', () => {
    const envelope = signRules('NM-HHHT-01', nm, privateKey);
    const text = JSON.stringify(envelope);
    const reason = (raw: unknown, options: { key?: typeof key | undefined; point?: string } = {}) => {
      try {
        openSignedRules(raw, 'key' in options ? options.key : key, options.point ?? 'NM-HHHT-01');
        return 'opened';
      } catch (error) {
        expect(error).toBeInstanceOf(RulesError);
        expect((error as RulesError).userMessage).toMatch(/[\u4e00-\u9fff]/u);
        return (error as RulesError).reason;
      }
    };
    // One byte of the pledge (15 → 16 seconds): the signature no longer fits.
    expect(text).toContain('"minReadSeconds":15');
    expect(reason(JSON.parse(text.replace('"minReadSeconds":15', '"minReadSeconds":16')))).toBe('bad-signature');
    // One character of a label.
    expect(reason(JSON.parse(text.replace('入伍批准书', '入伍批准本')))).toBe('bad-signature');
    // The signature itself: one base64 digit changed.
    const sig = envelope.signature;
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(reason({ ...envelope, signature: flipped })).toBe('bad-signature');
    expect(reason(envelope, { point: 'HN-CS-01' })).toBe('wrong-point');
    const other = rulesKeyInfo(generateRulesKeyPair().publicKey);
    expect(reason(envelope, { key: other })).toBe('unknown-key');
    // A forger who names the trusted key id but signs with their own key.
    const forged = { ...signRules('NM-HHHT-01', nm, generateRulesKeyPair().privateKey), keyId: key.keyId };
    expect(reason(forged)).toBe('bad-signature');
    expect(reason(envelope, { key: undefined })).toBe('no-server-key');
    expect(reason({ bundle: nm })).toBe('not-rules');
    expect(reason('not an envelope')).toBe('not-rules');
    // Signed, but not a valid bundle (a server that skipped its checks): refused after the signature.
    const sloppy = { ...envelope, bundle: { ...envelope.bundle, candidateTypes: [] } };
    const resigned = { ...sloppy, signature: Buffer.from(ed25519.sign(new TextEncoder().encode(rulesSigningText('NM-HHHT-01', sloppy.bundle)), privateKey)).toString('base64') };
    expect(reason(resigned)).toBe('content-invalid');
  });
});
