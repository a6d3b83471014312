import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { MAIN_SID, MAIN_TOKEN, basic } from './helpers/server.ts';

const CHILD = fileURLToPath(new URL('./helpers/api-child.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'sip-edge-durable-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, DATA_DIR: dataDir, EDGE_ACCOUNT_SID: MAIN_SID, EDGE_AUTH_TOKEN: MAIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const auth = { authorization: basic(MAIN_SID, MAIN_TOKEN), 'content-type': 'application/x-www-form-urlencoded' };
const sip = `/2010-04-01/Accounts/${MAIN_SID}/SIP`;

describe('durability', () => {
  it('keeps every acknowledged write across kill -9, with an intact database', async () => {
    const first = await startChild();
    const base = `http://127.0.0.1:${first.port}`;
    const cl = (await (await fetch(`${base}${sip}/CredentialLists.json`, { method: 'POST', headers: auth, body: 'FriendlyName=durable' })).json()) as { sid: string };
    const acked: { path: string; sid: string }[] = [{ path: `${sip}/CredentialLists/${cl.sid}.json`, sid: cl.sid }];
    let killed = false;
    let n = 0;
    // Four writers stream domains and credentials; the process is killed while requests are in flight.
    const writer = async () => {
      while (!killed) {
        const i = n++;
        const isDomain = i % 2 === 0;
        const url = isDomain ? `${base}${sip}/Domains.json` : `${base}${sip}/CredentialLists/${cl.sid}/Credentials.json`;
        const body = isDomain ? `DomainName=durable-${i}.example.com` : `Username=user${i}&Password=Durab1lityPassword`;
        try {
          const res = await fetch(url, { method: 'POST', headers: auth, body });
          if (res.status !== 201) throw new Error(`unexpected ${res.status}`);
          const json = (await res.json()) as { sid: string };
          acked.push({ path: isDomain ? `${sip}/Domains/${json.sid}.json` : `${sip}/CredentialLists/${cl.sid}/Credentials/${json.sid}.json`, sid: json.sid });
          if (acked.length >= 80 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } catch {
          if (!killed) throw new Error('write failed before the kill');
          return;
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(80);

    const db = new DatabaseSync(join(dataDir, 'sip-edge.sqlite'));
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    db.close();

    const second = await startChild();
    const base2 = `http://127.0.0.1:${second.port}`;
    for (const w of acked) {
      const r = await fetch(`${base2}${w.path}`, { headers: auth });
      expect({ path: w.path, status: r.status }).toEqual({ path: w.path, status: 200 });
      expect(((await r.json()) as { sid: string }).sid).toBe(w.sid);
    }
    second.child.kill('SIGTERM');
    await exited(second.child);
  });
});
