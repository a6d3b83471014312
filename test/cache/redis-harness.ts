// Starts real redis-server processes on free loopback ports for tests and benches, and stops them.
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** Kills the server (SIGKILL) without cleaning up, so restart() can bring it back. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty, no persistence). */
  restart(): Promise<void>;
}

async function waitPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on ${port} did not start`);
}

function spawnRedis(port: number, dir: string, extra: string[]): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra],
    { stdio: 'ignore' },
  );
  child.on('error', () => {});
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startRedis(extra: string[] = []): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'edge-redis-'));
  let child = spawnRedis(port, dir, extra);
  await waitPing(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await kill(child);
    },
    async restart() {
      await kill(child);
      child = spawnRedis(port, dir, extra);
      await waitPing(port);
    },
  };
}

export interface RedisClusterProcess {
  url: string;
  stop(): Promise<void>;
}

/** Three masters, no replicas. */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`]));
    }
    await run('redis-cli', [
      '--cluster', 'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas', '0', '--cluster-yes',
    ]);
    // Wait until every node agrees the cluster is ok.
    for (const n of nodes) {
      for (let i = 0; ; i++) {
        const { stdout } = await run('redis-cli', ['-p', String(n.port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (i > 100) throw new Error('cluster did not become ok');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  return {
    url: 'redis+cluster://' + nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
