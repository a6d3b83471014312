// Test harness: a real API server on 127.0.0.1 with a temp DATA_DIR, a log capture, raw HTTP
// helpers and a twilio client pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import twilio from 'twilio';
import { startApi } from '../../../src/api/start.ts';
import type { RunningApi, StartApiOptions } from '../../../src/api/start.ts';

export const MAIN_SID = 'AC' + '0123456789abcdef'.repeat(2);
export const MAIN_TOKEN = 'Main-Token-5f3a9c0e1d2b4a6f';
export const REALM = 'sip-edge.test';

export interface TestApi {
  api: RunningApi;
  base: string;
  logs: string[];
  dataDir: string;
  /** Every response body seen through `http`. */
  bodies: string[];
  http(method: string, path: string, opts?: { auth?: [string, string] | null; form?: Record<string, string>; body?: string; headers?: Record<string, string> }): Promise<HttpResult>;
  client(sid?: string, token?: string, accountSid?: string): ReturnType<typeof twilio>;
  stop(): Promise<void>;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export function basic(sid: string, token: string): string {
  return 'Basic ' + Buffer.from(`${sid}:${token}`).toString('base64');
}

export async function startTestApi(extra: Partial<StartApiOptions> = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sip-edge-api-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const api = await startApi({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    realm: REALM,
    accountSid: MAIN_SID,
    authToken: MAIN_TOKEN,
    logger,
    ...extra,
  });
  const base = `http://127.0.0.1:${api.port}`;
  const bodies: string[] = [];
  return {
    api,
    base,
    logs,
    dataDir,
    bodies,
    async http(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const auth = opts.auth === undefined ? [MAIN_SID, MAIN_TOKEN] : opts.auth;
      if (auth) headers.authorization = basic(auth[0], auth[1]);
      let body: string | undefined = opts.body;
      if (opts.form) {
        body = new URLSearchParams(opts.form).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const res = await fetch(base + path, { method, headers, body });
      const text = await res.text();
      bodies.push(text);
      let parsed: unknown = undefined;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    client(sid = MAIN_SID, token = MAIN_TOKEN, accountSid?: string) {
      const c = twilio(sid, token, accountSid ? { accountSid } : {});
      c.api.baseUrl = base;
      return c;
    },
    async stop() {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Raw-HTTP paging: follows next_page_uri to the end and returns every item under `key`. */
export async function collectPages(t: TestApi, firstPath: string, key: string, auth?: [string, string]): Promise<{ items: any[]; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let path: string | null = firstPath;
  while (path) {
    const r: HttpResult = await t.http('GET', path, { auth });
    if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${r.text}`);
    pages.push(r.body);
    items.push(...r.body[key]);
    path = r.body.next_page_uri;
    if (pages.length > 1000) throw new Error('paging does not end');
  }
  return { items, pages };
}
