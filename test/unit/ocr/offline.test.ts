import path from 'node:path';
/**
 * OCR must work with no network and must not leave files behind: tesseract.js fetches models from a CDN and
 * caches them in the working directory unless told otherwise.
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../renderer/ocr/tesseract-engine.js';
import { recognizeIdCard } from '../../../renderer/ocr/pipeline.js';
import { regionIndex } from '../../../renderer/ocr/regions.js';
import { createNodePaddleEngine, decodeImageFile, nationTable, nodeLangPaths } from '../../support/ocr/node-adapter.js';
import { sharedFixturesDir } from '../../support/shared-fixtures.js';

const require = createRequire(import.meta.url);
const guardedWorker = require.resolve('../../support/ocr/guarded-worker.mjs');
const FIXTURE = path.join(sharedFixturesDir, 'idcards/front-liuxiaohe-photo.jpg');

describe('OCR offline', () => {
  const attempts: string[] = [];
  const saved = { fetch: globalThis.fetch, httpRequest: http.request, httpsRequest: https.request, connect: net.Socket.prototype.connect };

  beforeEach(() => {
    attempts.length = 0;
    const refuse = (what: string) => () => {
      attempts.push(what);
      throw new Error(`OFFLINE_GUARD: ${what}`);
    };
    globalThis.fetch = refuse('fetch') as typeof fetch;
    http.request = refuse('http.request') as typeof http.request;
    https.request = refuse('https.request') as typeof https.request;
    net.Socket.prototype.connect = refuse('socket.connect') as typeof net.Socket.prototype.connect;
  });

  afterEach(() => {
    globalThis.fetch = saved.fetch;
    http.request = saved.httpRequest;
    https.request = saved.httpsRequest;
    net.Socket.prototype.connect = saved.connect;
  });

  it('recognises a card with every network path throwing, and writes nothing to the working directory', async () => {
    const before = readdirSync(process.cwd()).sort();
    const engine = new TesseractEngine({ langPath: nodeLangPaths(), workerPath: guardedWorker });
    try {
      const result = await recognizeIdCard({ front: decodeImageFile(FIXTURE) }, { engine, nations: nationTable() });
      expect(result.front?.name.value).toBe('刘小合');
      expect(result.front?.idNumber.value).toBe('440305199506062561');
    } finally {
      await engine.terminate();
    }
    expect(attempts).toEqual([]);
    const after = readdirSync(process.cwd()).sort();
    expect(after).toEqual(before);
    expect(after.filter((f) => f.endsWith('.traineddata'))).toEqual([]);
  });

  it('reads every field of the photographed card with PP-OCR beside tesseract, offline, and says which engine read what', async () => {
    const engine = new TesseractEngine({ langPath: nodeLangPaths(), workerPath: guardedWorker });
    const paddle = await createNodePaddleEngine();
    try {
      const result = await recognizeIdCard({ front: decodeImageFile(FIXTURE) }, { engine, paddle, regions: regionIndex(), nations: nationTable() });
      const front = result.front;
      expect(front?.name).toMatchObject({ value: '刘小合', engine: 'paddle' });
      expect(front?.sex.value).toBe('female');
      expect(front?.nation).toMatchObject({ value: '汉', code: '01' });
      expect(front?.birthDate.value).toBe('19950606');
      expect(front?.address).toMatchObject({ value: '上海市静安区万荣路1268号', engine: 'paddle' });
      // The specimen's number fails the check character: read as printed, and highlighted.
      expect(front?.idNumber).toMatchObject({ value: '440305199506062561', valid: false, needsReview: true });
    } finally {
      await paddle.terminate();
      await engine.terminate();
    }
    expect(attempts).toEqual([]);
  });

  it('the guard does catch a download: without a local langPath the engine fails instead of fetching', async () => {
    const engine = new TesseractEngine({ langPath: 'https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0_best_int', workerPath: guardedWorker });
    try {
      const image = { width: 40, height: 20, data: new Uint8Array(800).fill(255) };
      const error: unknown = await engine.recognize(image, { script: 'latin', layout: 'line' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'FILE_INVALID', reason: 'engine' });
      // It failed because the worker tried the CDN and hit the guard, not for some unrelated reason.
      expect(String((error as { cause?: unknown }).cause)).toContain('OFFLINE_GUARD');
    } finally {
      await engine.terminate();
    }
  });
});
