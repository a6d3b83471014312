// Responses computed by a real SIPp (/usr/bin/sipp, MD5, qop=auth) verify with our code. The test is
// the server: a UDP socket on 127.0.0.1 answers the first request with a challenge carrying a nonce
// minted by NonceService, then checks the credentials SIPp sends (nonce, replay guard, digest).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeBuilder, credentialsHeaderName, type ChallengeStatus } from '../../src/auth/challenge.ts';
import { selectCredentials, type DigestCredentials } from '../../src/auth/credentials.ts';
import { deriveHa1, type Ha1Set } from '../../src/auth/ha1.ts';
import { NonceService, nonceIssuedAt } from '../../src/auth/nonce.ts';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';
import { verifyDigest } from '../../src/auth/verify.ts';

const SIPP = '/usr/bin/sipp';
const REALM = 'sip-edge';
const USER = 'alice';
const PASSWORD = 'Sipp4Digest2026';

interface Outcome {
  header: string;
  credentials: DigestCredentials | null;
  nonce: string;
  replayFresh: boolean;
  verified: boolean;
}

class DigestResponder {
  readonly socket: Socket;
  readonly outcomes: Outcome[] = [];
  readonly #nonces = new NonceService({ secret: 'sipp-test-secret', realm: REALM, ttlSeconds: 60 });
  readonly #challenges = new ChallengeBuilder(REALM, ['MD5']);
  readonly #replay = new MemoryReplayGuard({ slots: 1024 });
  readonly #users = new Map<string, Ha1Set>([[USER, deriveHa1(USER, REALM, PASSWORD)]]);
  /** Final responses by Call-ID and CSeq, so retransmissions get the same answer. */
  readonly #answered = new Map<string, string>();

  constructor() {
    this.socket = createSocket('udp4');
    this.socket.on('error', () => {});
    this.socket.on('message', (data, rinfo) => this.#onMessage(data.toString('utf8'), rinfo));
  }

  #onMessage(text: string, rinfo: RemoteInfo): void {
    const [head] = text.split('\r\n\r\n', 1);
    const lines = head.split('\r\n');
    const method = lines[0].split(' ', 1)[0];
    if (method === 'ACK' || method.startsWith('SIP/')) return;
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
    const get = (name: string) => headers.filter(([n]) => n === name).map(([, v]) => v);
    const key = `${get('call-id')[0]} ${get('cseq')[0]}`;
    const cached = this.#answered.get(key);
    if (cached !== undefined) {
      this.socket.send(cached, rinfo.port, rinfo.address);
      return;
    }
    const status: ChallengeStatus = method === 'REGISTER' ? 401 : 407;
    const credentialValues = get(credentialsHeaderName(status).toLowerCase());
    let reply: string;
    if (credentialValues.length === 0) {
      const nonce = this.#nonces.mint(rinfo.address);
      const challengeHeader = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
      const challenge = this.#challenges.build(nonce).map((v) => `${challengeHeader}: ${v}\r\n`).join('');
      reply = this.#response(status === 401 ? '401 Unauthorized' : '407 Proxy Authentication Required', get, challenge);
    } else {
      const selected = selectCredentials(credentialValues, REALM);
      const credentials = selected.ok ? selected.credentials : null;
      let verified = false;
      let replayFresh = false;
      if (credentials !== null && this.#nonces.verify(credentials.nonce, rinfo.address) === 'valid') {
        const now = Math.floor(Date.now() / 1000);
        const expires = this.#nonces.expiresAt(nonceIssuedAt(credentials.nonce));
        replayFresh = this.#replay.admit(credentials.nonce, credentials.ncValue, expires, now) === true;
        verified = replayFresh && verifyDigest(credentials, method, this.#users.get(credentials.username) ?? null);
      }
      this.outcomes.push({ header: credentialValues.join(' | '), credentials, nonce: credentials?.nonce ?? '', replayFresh, verified });
      reply = this.#response(verified ? '200 OK' : '403 Forbidden', get, '');
    }
    this.#answered.set(key, reply);
    this.socket.send(reply, rinfo.port, rinfo.address);
  }

  #response(status: string, get: (name: string) => string[], extra: string): string {
    const via = get('via').map((v) => `Via: ${v}\r\n`).join('');
    return (
      `SIP/2.0 ${status}\r\n${via}From: ${get('from')[0]}\r\nTo: ${get('to')[0]};tag=edge1\r\n` +
      `Call-ID: ${get('call-id')[0]}\r\nCSeq: ${get('cseq')[0]}\r\n${extra}Content-Length: 0\r\n\r\n`
    );
  }
}

describe('digest responses computed by SIPp', () => {
  const responder = new DigestResponder();
  let port = 0;
  let dir = '';
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    await new Promise<void>((resolve) => responder.socket.bind(0, '127.0.0.1', resolve));
    port = responder.socket.address().port;
    dir = mkdtempSync(join(tmpdir(), 'sip-edge-auth-sipp-'));
  });

  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    responder.socket.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runSipp(fixture: string, password: string): Promise<number | null> {
    const scenario = readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8')
      .replaceAll('USERNAME', USER)
      .replaceAll('PASSWORD', password);
    const file = join(dir, `${password}-${fixture}`);
    writeFileSync(file, scenario);
    const child = spawn(SIPP, [`127.0.0.1:${port}`, '-sf', file, '-m', '1', '-i', '127.0.0.1', '-t', 'u1', '-timeout', '15', '-timeout_error', '-nostdin'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    return new Promise((resolve) => {
      child.on('error', () => resolve(-1));
      child.on('exit', (code) => {
        children.delete(child);
        if (code !== 0 && password === PASSWORD) console.error(`sipp ${fixture} exited ${code}: ${stderr}`);
        resolve(code);
      });
    });
  }

  it.each([
    ['uac-invite-digest.xml', 'INVITE', 'Proxy-Authorization (407)'],
    ['uac-register-digest.xml', 'REGISTER', 'Authorization (401)'],
  ])('%s: the %s credentials SIPp computes verify (%s)', async (fixture) => {
    const before = responder.outcomes.length;
    const code = await runSipp(fixture, PASSWORD);
    const outcomes = responder.outcomes.slice(before);
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    expect(outcome.credentials, outcome.header).not.toBeNull();
    expect(outcome.credentials).toMatchObject({ username: USER, realm: REALM, algorithm: 'MD5', qop: 'auth', ncValue: 1 });
    expect(outcome.credentials?.uri).toMatch(/^sip:/);
    expect(outcome.replayFresh).toBe(true);
    expect(outcome.verified).toBe(true);
    expect(code).toBe(0);
  });

  it('a wrong password typed into SIPp does not verify', async () => {
    const before = responder.outcomes.length;
    const code = await runSipp('uac-invite-digest.xml', `${PASSWORD}x`);
    const outcomes = responder.outcomes.slice(before);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].credentials?.username).toBe(USER);
    expect(outcomes[0].replayFresh).toBe(true);
    expect(outcomes[0].verified).toBe(false);
    expect(code).not.toBe(0);
  });
});
