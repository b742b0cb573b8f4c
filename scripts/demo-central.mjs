// The embedded central server for `npm start`: the real server (server/main.ts) on PGlite in the station's data
// folder, with the bundled sample point, its fictitious roster and the sample province rules (内蒙古 专升本), and a
// fresh one-time enrollment code printed for the 注册本工作站 dialog. Production stations talk to a real central
// server and start with --no-central.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PORT = Number(process.env.CENTRAL_PORT ?? 17400);
/** The province rules the demo point works under: a station enrolled here downloads and applies real ones. */
export const DEMO_RULES_FILE = 'server/sample-data/rules/nm-zsb-2027.json';

/** Starts the server and prepares the sample point; resolves with what to print, or rejects with why not. */
export async function startDemoCentral(root) {
  const dataDir = path.join(process.env.STATION_DATA_DIR ?? path.join(root, '.station-data'), 'central-pglite');
  mkdirSync(dataDir, { recursive: true });
  const adminToken = randomBytes(24).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', PGLITE_DIR: dataDir, ADMIN_TOKEN: adminToken, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`central server did not start:\n${out}`)), 60_000);
    const seen = (chunk) => {
      out += chunk.toString();
      if (out.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`central server exited with ${code}:\n${out}`)));
  });
  const url = `http://127.0.0.1:${PORT}`;
  const admin = async (method, target, body) => {
    const response = await fetch(`${url}${target}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json().catch(() => ({})) };
  };
  const sample = withDemoFaces(root, JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')));
  // 409 when the point exists from an earlier start: the data folder keeps it.
  await admin('POST', '/api/v1/admin/points', { code: sample.pointCode, name: sample.pointName });
  await admin('POST', `/api/v1/admin/points/${sample.pointCode}/roster`, sample.entries);
  // 201 the first time, 200 `unchanged` on every later start (a version is published once).
  const rules = await admin('POST', `/api/v1/admin/points/${sample.pointCode}/rules`, JSON.parse(readFileSync(path.join(root, DEMO_RULES_FILE), 'utf8')));
  if (rules.status !== 200 && rules.status !== 201) {
    // The demo runs on without them (built-in or earlier rules); the sample changed under a published version, say.
    console.log(`演示省级配置未发布 demo rules not published (${rules.status}): ${rules.body.error?.message ?? ''}`);
  }
  const issued = await admin('POST', `/api/v1/admin/points/${sample.pointCode}/enrollment-codes`, {});
  return { child, url, pointCode: sample.pointCode, code: issued.body.code };
}

/**
 * The sample roster with real-looking photos where the demo has a synthetic face (assets/demo/demo-faces.json):
 * the simulated camera shows the same person, so the face check passes as it would at a real desk.
 */
export function withDemoFaces(root, sample) {
  const { faces } = JSON.parse(readFileSync(path.join(root, 'assets/demo/demo-faces.json'), 'utf8'));
  const photoOf = (n) => `data:image/png;base64,${readFileSync(path.join(root, 'node_modules/fake-avatars/avatars/png', `${n}.png`)).toString('base64')}`;
  return { ...sample, entries: sample.entries.map((entry) => (faces[entry.citizenId] === undefined ? entry : { ...entry, photo: photoOf(faces[entry.citizenId]) })) };
}
