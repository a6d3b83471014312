import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergedMetrics } from '../../src/obs/cluster-metrics.ts';
import { createMetrics } from '../../src/obs/metrics.ts';

const children: ChildProcess[] = [];

async function startWorker(invites: number): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, 'fixtures/metrics-worker.ts'), [String(invites)], {
    execPath: process.execPath,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const [message] = (await once(child, 'message')) as [{ type: string }];
  expect(message.type).toBe('ready');
  return child;
}

afterEach(async () => {
  await Promise.all(children.map(async (child) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  }));
  children.length = 0;
});

function sampleValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in exposition`);
  return Number(line.slice(series.length + 1));
}

describe('cluster metrics', () => {
  it('merges the primary registry with every worker process over IPC', async () => {
    const workers = [await startWorker(3), await startWorker(4)];
    const primary = createMetrics();
    primary.countRequest('INVITE', 'udp');
    const text = await mergedMetrics(primary.registry, workers);
    expect(sampleValue(text, 'sip_requests_total{method="INVITE",transport="udp"}')).toBe(8);
    expect(sampleValue(text, 'edge_active_calls')).toBe(7);
    expect(sampleValue(text, 'edge_auth_decisions_total{outcome="accept",reason="digest"}')).toBe(2);
    expect(sampleValue(text, 'edge_auth_duration_seconds_count')).toBe(2);
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });

  it('leaves out a worker that does not answer in time', async () => {
    const worker = await startWorker(2);
    const silent = fork('-e', ['setInterval(() => {}, 1000)'], {
      execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(silent);
    const primary = createMetrics();
    const started = Date.now();
    const text = await mergedMetrics(primary.registry, [worker, silent], 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sampleValue(text, 'sip_requests_total{method="INVITE",transport="udp"}')).toBe(2);
  });
});
