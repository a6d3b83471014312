// Runs the real sipp binary (Debian sip-tester) for tests: free ports on 127.0.0.1, a time limit,
// and the counters sipp prints with -trace_stat.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = join(import.meta.dirname, '..', '..', 'bench', 'sipp');

/** A port free for both UDP and TCP on 127.0.0.1 at the time of the call. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.on('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.on('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

/** The exit code (0: every call succeeded), the last statistics line and the tail of sipp's error
 *  log (why calls failed). */
export interface SippResult {
  code: number | null;
  stats: Record<string, string>;
  stderr: string;
  errors: string;
}

export interface SippRun {
  child: ChildProcess;
  done: Promise<SippResult>;
}

export function runSipp(args: string[], timeoutMs: number): SippRun {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-sipp-'));
  const child = spawn('sipp', [...args, '-nostdin', '-trace_stat', '-fd', '1', '-trace_err'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<SippResult>((resolve) => {
    child.on('error', () => {});
    child.on('exit', (code) => {
      clearTimeout(timer);
      const stats = lastStats(dir);
      const errors = errorLog(dir);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stats, stderr, errors });
    });
  });
  return { child, done };
}

/** The last 8,000 characters of sipp's -trace_err log: the message that made a call fail. */
function errorLog(dir: string): string {
  const f = readdirSync(dir).find((n) => n.endsWith('_errors.log'));
  if (f === undefined) return '';
  const text = readFileSync(join(dir, f), 'latin1');
  return text.slice(-8000);
}

/** The last row of sipp's -trace_stat CSV, keyed by column name. */
function lastStats(dir: string): Record<string, string> {
  const f = readdirSync(dir).find((n) => n.endsWith('.csv'));
  if (f === undefined) return {};
  const lines = readFileSync(join(dir, f), 'latin1').trim().split('\n');
  if (lines.length < 2) return {};
  const head = lines[0]!.split(';');
  const row = lines[lines.length - 1]!.split(';');
  const out: Record<string, string> = {};
  head.forEach((h, i) => (out[h] = row[i] ?? ''));
  return out;
}
