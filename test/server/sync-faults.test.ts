/**
 * The sync path end to end against a real server process on PostgreSQL, under faults: the server is killed
 * (SIGKILL) and restarted mid-upload, connections are cut mid-request and mid-reply, batches are sent twice,
 * the station crashes and restarts mid-upload, and its clock jumps by hours. Afterwards the server must hold
 * every record exactly once (and every blob once), and the station's outbox must be empty.
 *
 * The station is the real one: createStationHost (signing, clock-skew correction) → staff StationClient →
 * apiCentralLink → UploadStage/SyncEngine on Dexie (fake-indexeddb) → ConfirmationRepository saves.
 */
import 'fake-indexeddb/auto';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStationClient, type StationTransport } from '../../core/api/client.js';
import { type ConfirmationBatchReply, ConfirmationUpload } from '../../core/contract/central-api.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { silentLogger } from '../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { ConfirmationRepository, type NewBlob } from '../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../renderer/db/station-db.js';
import { apiCentralLink } from '../../renderer/sync/api-central-link.js';
import type { CentralLink } from '../../renderer/sync/central-link.js';
import { SyncEngine } from '../../renderer/sync/sync-engine.js';
import { UploadStage } from '../../renderer/sync/upload-stage.js';
import { confirmationContentHash } from '../../server/services/confirmations.js';
import { FaultProxy } from './support/fault-proxy.js';
import { ServerProcess } from './support/server-process.js';
import { citizenId } from './support/harness.js';
import { seededRandom } from '../../native/simulators/seeded-random.js';

const postgresUrl = process.env['TEST_DATABASE_URL'] || undefined;
const ADMIN_TOKEN = 'fault-test-admin-token-0123';
const ROUNDS = 20;
const RECORDS_PER_ROUND = 10;
const SEED = 0x5eed_2026;
const HOUR = 60 * 60 * 1000;

type Fault = 'kill' | 'cut-request' | 'cut-reply' | 'replay' | 'station-restart' | 'clock-skew';
/** Every kind several times; the order is shuffled by the seed. */
const FAULTS: Fault[] = [
  ...Array<Fault>(5).fill('kill'),
  ...Array<Fault>(3).fill('cut-request'),
  ...Array<Fault>(3).fill('cut-reply'),
  ...Array<Fault>(3).fill('replay'),
  ...Array<Fault>(3).fill('station-restart'),
  ...Array<Fault>(3).fill('clock-skew'),
];


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database of its own on the test cluster, so the server process starts from an empty schema. */
async function createDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sync_faults_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function admin(port: number, url: string, body: unknown): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${port}${url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

/** One life of the station: host, client, link, database, engine. A station restart replaces all of it. */
interface StationLife {
  host: StationHost;
  db: StationDb;
  repo: ConfirmationRepository;
  engine: SyncEngine;
}

describe.skipIf(!postgresUrl)(`sync under faults against a server process${postgresUrl ? '' : ' — skipped: TEST_DATABASE_URL is not set'}`, () => {
  // Faults draw from their own sequence: the stages' jitter draws a timing-dependent number of values.
  const random = seededRandom(SEED);
  const jitter = seededRandom(SEED + 1);
  const proxy = new FaultProxy();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let server: ServerProcess;
  let dataDir: string;
  let dataKey: CryptoKey | undefined;
  const dbName = `sync-faults-${randomUUID()}`;
  let skewMs = 0;
  const realNow = Date.now.bind(Date);

  const stats = {
    faults: {} as Record<string, number>,
    batchesSent: 0,
    replayedBatches: 0,
    replayViolations: 0,
    stationRestarts: 0,
    recoveredInFlight: 0,
    /** Batch requests that failed in transport (server killed, connection cut): their records were retried. */
    batchFailures: 0,
    /** Answers per outcome; `duplicate` outside replays means a stored record whose acknowledgement was lost. */
    outcomes: {} as Record<string, number>,
  };
  /** Set during a replay round: every batch goes to the server twice and the second answer is the one used. */
  let replayBatches = false;

  beforeAll(async () => {
    database = await createDatabase(postgresUrl!);
    dataDir = await mkdtemp(path.join(tmpdir(), 'sync-faults-'));
    server = new ServerProcess({ DATABASE_URL: database.url, ADMIN_TOKEN });
    proxy.backendPort = await server.start();
    // The station's clock: Date.now is what the host's CentralLink, the upload stage and the engine read.
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
  }, 60_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.kill('SIGTERM');
    await proxy.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  function linkOver(host: StationHost): CentralLink {
    const transport: StationTransport = {
      call: (method, payload) => host.dispatch('staff', method, payload),
      onEvent: () => () => undefined,
    };
    const base = apiCentralLink(createStationClient('staff', transport));
    return {
      ...base,
      async uploadBatch(items: readonly ConfirmationUpload[]): Promise<ConfirmationBatchReply> {
        stats.batchesSent += 1;
        const send = async () => {
          try {
            const reply = await base.uploadBatch(items);
            for (const result of reply.results) stats.outcomes[result.status] = (stats.outcomes[result.status] ?? 0) + 1;
            return reply;
          } catch (thrown) {
            stats.batchFailures += 1;
            throw thrown;
          }
        };
        if (!replayBatches) return send();
        const first = await send();
        const again = await send();
        stats.replayedBatches += 1;
        // Whatever the first send stored, the replay must find stored: never a second row, never a conflict.
        for (const answer of first.results) {
          const second = again.results.find((result) => result.id === answer.id);
          const stored = answer.status === 'accepted' || answer.status === 'duplicate';
          if (stored && second?.status !== 'duplicate') stats.replayViolations += 1;
        }
        return again;
      },
    };
  }

  async function startStation(): Promise<StationLife> {
    const host = await createStationHost({
      hostKind: 'browser',
      appVersion: 'test',
      config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant' }, 't'),
      defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
      deviceSlots: [],
      dataDir,
      logger: silentLogger,
    });
    // The same data key across station restarts, as the host keeps it sealed in the data folder.
    dataKey ??= await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const db = new StationDb(dbName, { dataKey });
    await db.open();
    const before = await db.outbox.where('state').equals('in-flight').count();
    stats.recoveredInFlight += before;
    const upload = new UploadStage(db, linkOver(host), { batchSize: RECORDS_PER_ROUND, random: jitter });
    // Long idle recheck: the test drives passes itself; the engine's own retries after failures still run.
    const engine = new SyncEngine({ db, upload, random: jitter, idleRecheckMs: 60 * 60_000 });
    await engine.start();
    const repo = new ConfirmationRepository(db, { now: () => new Date(Date.now()), newId: () => randomUUID() });
    return { host, db, repo, engine };
  }

  let recordNo = 0;
  /** A photo of its own per record; every fourth record shares a signature image with the previous one. */
  async function saveRecords(life: StationLife, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const n = ++recordNo;
      const blobs: NewBlob[] = [{ role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array(randomBytes(3000 + (n % 7) * 500)) }];
      if (n % 4 === 0) blobs.push({ role: 'signature', mime: 'image/png', bytes: new Uint8Array(4096).fill(n - 1) });
      else blobs.push({ role: 'signature', mime: 'image/png', bytes: new Uint8Array(4096).fill(n) });
      await life.repo.save({
        content: {
          candidate: { citizenId: citizenId(n, '20040521'), registrationNo: `2026410${String(n).padStart(5, '0')}`, name: `测试考生${n}` },
          identification: { source: 'chip', cardType: 'resident' },
          outcome: n % 9 === 0 ? 'rejected' : 'confirmed',
          reasons: n % 9 === 0 ? ['材料不全'] : [],
          decidedAt: new Date(Date.now()).toISOString(),
        },
        blobs,
      });
    }
  }

  async function stopStation(life: StationLife): Promise<void> {
    await life.engine.stop();
    life.db.close();
    await life.host.close();
  }

  it('keeps every record exactly once through kills, cuts, replays, station restarts and clock jumps', { timeout: 120_000 }, async () => {
    const started = realNow();
    const proxyUrl = await proxy.listen();
    await admin(proxy.backendPort, '/api/v1/admin/points', { code: 'ZZ-FT-01', name: '故障测试确认点' });
    const issued = (await admin(proxy.backendPort, '/api/v1/admin/points/ZZ-FT-01/enrollment-codes', {})) as { code: string };
    let life = await startStation();
    const enrolled = await life.host.dispatch('staff', 'central.enroll', {
      serverUrl: proxyUrl,
      code: issued.code,
      pointCode: 'ZZ-FT-01',
      stationName: '故障测试工位',
    });
    expect(enrolled, JSON.stringify(enrolled)).toMatchObject({ ok: true, value: { enrolled: true } });
    const stationId = (enrolled as { value: { stationId: string } }).value.stationId;

    const order = [...FAULTS];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    expect(order).toHaveLength(ROUNDS);

    for (const fault of order) {
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
      await saveRecords(life, RECORDS_PER_ROUND);
      const delay = Math.floor(random() * 120);
      switch (fault) {
        case 'kill': {
          const pass = life.engine.syncNow();
          await sleep(delay);
          await server.kill('SIGKILL');
          await pass;
          proxy.backendPort = await server.start();
          break;
        }
        case 'cut-request':
        case 'cut-reply': {
          // Half the cuts hit the batch itself (a reply lost after the server stored it); the others any request.
          const batchOnly = random() < 0.5;
          proxy.arm({
            direction: fault === 'cut-request' ? 'request' : 'response',
            ...(batchOnly ? { match: 'POST /api/v1/confirmations/batch' } : {}),
            fraction: random(),
          });
          await life.engine.syncNow();
          proxy.disarm();
          break;
        }
        case 'replay': {
          replayBatches = true;
          await life.engine.syncNow();
          replayBatches = false;
          break;
        }
        case 'station-restart': {
          // A crash mid-upload: the database closes under the running pass; the next life recovers in-flight entries.
          const pass = life.engine.syncNow().catch(() => undefined);
          await sleep(delay);
          life.db.close();
          await pass;
          await stopStation(life).catch(() => undefined);
          stats.stationRestarts += 1;
          life = await startStation();
          break;
        }
        case 'clock-skew': {
          // Hours off either way: the server answers CLOCK_SKEW, the host's link signs with the server's time.
          skewMs = (random() < 0.5 ? -1 : 1) * Math.round((1 + random() * 7) * HOUR);
          await life.engine.syncNow();
          break;
        }
      }
    }

    // Faults over: passes until the outbox is empty (each failed pass above left its entries retryable).
    for (let attempt = 0; attempt < 10 && (await life.db.outbox.count()) > 0; attempt++) {
      await life.engine.syncNow();
    }
    const left = await life.db.outbox.toArray();
    expect(left.map((row) => `${row.state}:${row.lastError?.code ?? ''}`)).toEqual([]);

    const records = await new ConfirmationRepository(life.db).all();
    const localBlobs = await life.db.blobs.count();
    expect(records).toHaveLength(ROUNDS * RECORDS_PER_ROUND);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const count = async (sql: string): Promise<number> => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
      expect(await count('SELECT count(*) AS n FROM confirmations')).toBe(records.length);
      expect(await count('SELECT count(DISTINCT id) AS n FROM confirmations')).toBe(records.length);
      expect(await count(`SELECT count(*) AS n FROM confirmations WHERE station_id <> '${stationId}'`)).toBe(0);
      expect(await count('SELECT count(*) AS n FROM blobs')).toBe(localBlobs);
      expect(await count("SELECT count(*) AS n FROM blobs WHERE encode(sha256(bytes), 'hex') <> sha256")).toBe(0);
      const references = records.reduce((sum, row) => sum + new Set(row.content.blobs.map((blob) => blob.sha256)).size, 0);
      expect(await count('SELECT count(*) AS n FROM confirmation_blobs')).toBe(references);

      // The same content as saved, record by record: nothing half-stored, nothing from a stale retry.
      const stored = new Map((await client.query<{ id: string; content_sha256: string }>('SELECT id, content_sha256 FROM confirmations')).rows.map((row) => [row.id, row.content_sha256]));
      for (const row of records) {
        // The upload the stage builds from the record (same parse), hashed the server's way.
        const upload = ConfirmationUpload.parse({
          id: row.id,
          citizenId: row.citizenId,
          content: row.content,
          blobs: [...new Set(row.content.blobs.map((blob) => blob.sha256))],
        });
        const expected = confirmationContentHash(upload);
        expect(stored.get(row.id), 'stored content').toBe(expected);
      }
    } finally {
      await client.end();
    }

    expect(stats.replayViolations).toBe(0);
    expect(stats.replayedBatches).toBeGreaterThan(0);
    expect(server.kills).toBe(5);
    expect(proxy.cuts.request + proxy.cuts.response).toBeGreaterThan(0);
    expect(proxy.clockSkewReplies).toBeGreaterThan(0);
    // Counts only: no ids, no names.
    console.info(
      'sync-faults:',
      JSON.stringify({
        records: records.length,
        blobs: localBlobs,
        seconds: Math.round((realNow() - started) / 100) / 10,
        kills: server.kills,
        serverStarts: server.starts,
        cuts: proxy.cuts,
        clockSkewReplies: proxy.clockSkewReplies,
        finalSkewHours: Math.round((skewMs / HOUR) * 10) / 10,
        ...stats,
      }),
    );
    await stopStation(life);
  });
});
