import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * server/main.ts as a real process. Started as `node --import tsx` rather than the tsx CLI: the CLI runs the
 * server in a grandchild, which a SIGKILL of the CLI would leave running.
 */
export class ServerProcess {
  #child: ChildProcessWithoutNullStreams | undefined;
  #output = '';
  starts = 0;
  kills = 0;

  constructor(private readonly env: Record<string, string>) {}

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts it and resolves with its port from the "listening" log line. */
  start(): Promise<number> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...this.env };
    delete env['PGLITE_DIR'];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts')], { cwd: ROOT, env });
    this.#child = child;
    this.starts += 1;
    let pending = '';
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.#output = (this.#output + text).slice(-20_000);
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === 'listening' && entry.url) resolve(Number(new URL(entry.url).port));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${this.#output}`));
      });
    });
  }

  /** A crash: no shutdown, open transactions are rolled back by PostgreSQL. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    if (signal === 'SIGKILL') this.kills += 1;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  get output(): string {
    return this.#output;
  }
}
