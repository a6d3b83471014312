// Starts the real sip-edge process (node src/main.ts on the Node that runs vitest) on a free port
// of 127.0.0.1 and stops it. The SIP port is read from the process's "sip listening" log line.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { logCaptureDir, recordSecret } from './secrets.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface EdgeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** SIP port (UDP and TCP); -1 for EDGE_ROLE=api. */
  readonly port: number;
  /** HTTP port (REST API and/or /metrics, /healthz, /readyz). */
  readonly httpPort: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resident set size of the process in KiB, from /proc/<pid>/status. */
  rssKiB(): number;
  /** True while the process has not exited. */
  alive(): boolean;
  /** SIGTERM, then waits for exit (SIGKILL after timeoutMs). Resolves to the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export function readRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const at = status.indexOf('VmRSS:');
  if (at < 0) throw new Error('no VmRSS for ' + pid);
  return Number.parseInt(status.slice(at + 6).trim(), 10);
}

export function startEdge(env: Record<string, string> = {}, timeoutMs = 15_000): Promise<EdgeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sip-edge-test-'));
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, SIP_LISTEN: '127.0.0.1:0', HTTP_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir, LOG_LEVEL: 'info', EDGE_SHUTDOWN_GRACE_S: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const apiOnly = env.EDGE_ROLE === 'api';
  let text = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) => {
    child.on('exit', (code) => {
      exitCode = code;
      rmSync(dataDir, { recursive: true, force: true });
      done(code);
    });
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => (text += s));
  teeToCapture(child, env);

  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error('sip-edge did not start in time:\n' + text));
    }, timeoutMs);
    let port = 0;
    child.stdout!.on('data', (s: string) => {
      text += s;
      if (port !== 0) return;
      const http = /"msg":"http listening"/.test(text) ? /"port":(\d+),"role"/.exec(text) : null;
      // The api role has no SIP side: it is up once HTTP listens (port stays -1).
      const match = apiOnly ? http && [http[0], '-1'] : /"msg":"sip listening"/.test(text) ? /"udp":(\d+)/.exec(text) : null;
      if (match === null) return;
      port = Number(match[1]);
      clearTimeout(timer);
      resolveStart({
        child,
        pid: child.pid!,
        port,
        httpPort: http === null ? 0 : Number(http[1]),
        output: () => text,
        rssKiB: () => readRssKiB(child.pid!),
        alive: () => exitCode === undefined,
        stop: async (stopTimeoutMs = 5000) => {
          if (exitCode !== undefined) return exitCode;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
          const code = await exited;
          clearTimeout(kill);
          return code;
        },
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (port === 0) rejectStart(new Error(`sip-edge exited with ${code} before listening:\n${text}`));
    });
  });
}

/**
 * With the suite's capture directory set (test/global-setup.ts), copies the child's stdout and
 * stderr to `<capture>/logs/edge-<pid>.log` and records the secrets its environment carries, so the
 * global teardown can prove no log holds one.
 */
function teeToCapture(child: ChildProcess, env: Record<string, string>): void {
  const dir = logCaptureDir();
  if (dir === undefined || child.pid === undefined) return;
  if (env.EDGE_AUTH_TOKEN !== undefined) recordSecret('auth token', env.EDGE_AUTH_TOKEN);
  if (env.EDGE_NONCE_SECRET !== undefined) recordSecret('nonce secret', env.EDGE_NONCE_SECRET);
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(join(dir, `edge-${child.pid}.log`));
  file.on('error', () => {});
  child.stdout!.on('data', (s: string) => file.write(s));
  child.stderr!.on('data', (s: string) => file.write(s));
  child.on('exit', () => file.end());
}
