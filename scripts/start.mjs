// `npm start`: build, start the embedded central server (demo; `--no-central` to skip), then run the station
// in Electron when its binary is installed, otherwise in the browser host (same services, same renderer).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDemoCentral } from './demo-central.mjs';
import { findElectronBinary } from './lib/electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let central;
if (!process.argv.includes('--no-central')) {
  try {
    central = await startDemoCentral(root);
    console.log(
      `\n中心服务器（演示，内置）：${central.url}\n  确认点代码：${central.pointCode}\n  注册码：${central.code}\n` +
        '  在工作站右侧“数据同步”中点击“注册本工作站”（已预填以上信息），即可下载名单并同步确认记录。\n',
    );
  } catch (error) {
    console.log(`The embedded central server did not start (${error.message.split('\n')[0]}); the station runs offline.`);
  }
}

// The station's enrollment dialog is prefilled with the embedded server (staff may still change it).
const childEnv = central
  ? { ...process.env, STATION_ENROLLMENT_HINT: JSON.stringify({ serverUrl: central.url, pointCode: central.pointCode, code: central.code }) }
  : process.env;
const electron = findElectronBinary();
const child =
  'binary' in electron && !process.argv.includes('--browser')
    ? spawn(electron.binary, ['.'], { cwd: root, stdio: 'inherit', env: childEnv })
    : (console.log(
        `Electron is not available (${'why' in electron ? electron.why : 'browser mode requested'}); ` +
          'starting the browser host instead: same services and UI, served to your browser on 127.0.0.1.',
      ),
      spawn(process.execPath, ['dist/host/browser-host.js'], { cwd: root, stdio: 'inherit', env: childEnv }));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    central?.child.kill(signal);
    child.kill(signal);
  });
}
child.on('exit', (code) => {
  central?.child.kill('SIGTERM');
  process.exit(code ?? 0);
});
