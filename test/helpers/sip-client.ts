// A small SIP user agent client for end-to-end tests over UDP or TCP on loopback: builds requests,
// answers digest challenges (MD5, SHA-256 with node:crypto as an independent reference), and waits
// for the final response of a transaction (ACKing non-2xx finals of INVITEs).

import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export type SipTransportName = 'udp' | 'tcp';

export interface Challenge {
  header: string;
  realm: string;
  nonce: string;
  algorithm: string;
  stale: boolean;
  qop: string | undefined;
}

export interface SipResponseText {
  status: number;
  text: string;
  /** Values of every header with this name (case-insensitive). */
  headers(name: string): string[];
}

export function parseResponse(text: string): SipResponseText {
  const status = Number(text.slice(8, 11));
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const lines = head.split('\r\n').slice(1);
  return {
    status,
    text,
    headers(name) {
      const lower = name.toLowerCase();
      return lines.filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === lower).map((l) => l.slice(l.indexOf(':') + 1).trim());
    },
  };
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,])${name}=("([^"]*)"|[^,\\s]+)`, 'i').exec(value);
  if (m === null) return undefined;
  return m[2] ?? m[1];
}

export function challenges(res: SipResponseText): Challenge[] {
  const name = res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return res.headers(name).map((header) => ({
    header,
    realm: param(header, 'realm') ?? '',
    nonce: param(header, 'nonce') ?? '',
    algorithm: param(header, 'algorithm') ?? 'MD5',
    stale: (param(header, 'stale') ?? 'false').toLowerCase() === 'true',
    qop: param(header, 'qop'),
  }));
}

function hash(algorithm: string, text: string): string {
  return createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(text).digest('hex');
}

export interface DigestInput {
  username: string;
  password: string;
  challenge: Challenge;
  method: string;
  uri: string;
  nc?: number;
  cnonce?: string;
}

/** A Proxy-Authorization / Authorization value with qop=auth (RFC 7616 §3.4). */
export function digestAuthorization(input: DigestInput): string {
  const c = input.challenge;
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const ha1 = hash(c.algorithm, `${input.username}:${c.realm}:${input.password}`);
  const ha2 = hash(c.algorithm, `${input.method}:${input.uri}`);
  const response = hash(c.algorithm, `${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${input.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${input.uri}", ` +
    `response="${response}", algorithm=${c.algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}

let sequence = 0;

export interface RequestSpec {
  method?: string;
  /** Request-URI host (the domain or trunk name). */
  host: string;
  user?: string;
  extraHeaders?: string[];
  callId?: string;
  cseq?: number;
}

export interface BuiltRequest {
  text: string;
  callId: string;
  branch: string;
  uri: string;
  method: string;
  cseq: number;
  fromTag: string;
}

/** Tells whether a received message is a response (any status) to `req`: same Call-ID and CSeq. */
function responseTo(req: BuiltRequest): (message: string) => boolean {
  const cseqLine = new RegExp(`\\r\\nCSeq:\\s*${req.cseq} ${req.method}\\r\\n`, 'i');
  const callIdLine = `\r\nCall-ID: ${req.callId}\r\n`;
  return (m) => m.startsWith('SIP/2.0 ') && m.includes(callIdLine) && cseqLine.test(m);
}

/** One loopback SIP client: a UDP socket or a TCP connection to the edge. */
export class SipClient {
  readonly transport: SipTransportName;
  readonly edgePort: number;
  /** Source address (any 127.0.0.0/8 address works on Linux loopback). */
  readonly localAddress: string;
  localPort = 0;
  /**
   * Over UDP, resend each request after this many ms, doubling up to 4 s, until a response to it
   * arrives (Timer A/E of RFC 3261 §17.1), as a real UA does when a datagram is lost. 0: send once.
   */
  retransmitMs = 0;
  #udp: UdpSocket | undefined;
  #tcp: Socket | undefined;
  #buffer = '';
  readonly #messages: string[] = [];
  readonly #waiters = new Set<() => void>();

  private constructor(transport: SipTransportName, edgePort: number, localAddress: string) {
    this.transport = transport;
    this.edgePort = edgePort;
    this.localAddress = localAddress;
  }

  static async open(transport: SipTransportName, edgePort: number, localAddress = '127.0.0.1'): Promise<SipClient> {
    const client = new SipClient(transport, edgePort, localAddress);
    if (transport === 'udp') {
      const socket = createSocket('udp4');
      client.#udp = socket;
      socket.on('error', () => {});
      socket.on('message', (data) => client.#received(data.toString('latin1')));
      await new Promise<void>((resolve) => socket.bind(0, localAddress, () => resolve()));
      client.localPort = socket.address().port;
    } else {
      const socket = connect({ host: '127.0.0.1', port: edgePort, localAddress, noDelay: true });
      client.#tcp = socket;
      socket.setEncoding('latin1');
      socket.on('error', () => {});
      socket.on('data', (chunk: string) => client.#stream(chunk));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      });
      client.localPort = socket.localPort!;
    }
    return client;
  }

  #received(message: string): void {
    this.#messages.push(message);
    for (const wake of this.#waiters) wake();
  }

  #stream(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      while (this.#buffer.startsWith('\r\n')) this.#buffer = this.#buffer.slice(2);
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(this.#buffer.slice(0, end + 2))?.[1] ?? '0');
      if (this.#buffer.length < end + 4 + length) return;
      this.#received(this.#buffer.slice(0, end + 4 + length));
      this.#buffer = this.#buffer.slice(end + 4 + length);
    }
  }

  build(spec: RequestSpec): BuiltRequest {
    const n = ++sequence;
    const method = spec.method ?? 'INVITE';
    const callId = spec.callId ?? `e2e-${process.pid}-${n}-${randomBytes(4).toString('hex')}`;
    const branch = `z9hG4bK-e2e-${n}-${randomBytes(4).toString('hex')}`;
    const uri = `sip:${spec.user ?? '15550001'}@${spec.host}`;
    const cseq = spec.cseq ?? 1;
    const fromTag = `ft${n}`;
    const via = `SIP/2.0/${this.transport.toUpperCase()} ${this.localAddress}:${this.localPort};branch=${branch};rport`;
    const text = [
      `${method} ${uri} SIP/2.0`,
      `Via: ${via}`,
      'Max-Forwards: 70',
      `From: <sip:caller@${this.localAddress}>;tag=${fromTag}`,
      `To: <${uri}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:caller@${this.localAddress}:${this.localPort};transport=${this.transport}>`,
      ...(spec.extraHeaders ?? []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    return { text, callId, branch, uri, method, cseq, fromTag };
  }

  send(text: string): void {
    const data = Buffer.from(text, 'latin1');
    if (this.#udp !== undefined) this.#udp.send(data, this.edgePort, '127.0.0.1');
    else this.#tcp!.write(data);
  }

  /** The first final response to `req` (by Call-ID and CSeq), or null after timeoutMs. */
  async final(req: BuiltRequest, timeoutMs = 3000): Promise<SipResponseText | null> {
    const deadline = Date.now() + timeoutMs;
    const answers = responseTo(req);
    for (;;) {
      const found = this.#messages.find((m) => answers(m) && Number(m.slice(8, 11)) >= 200);
      if (found !== undefined) {
        const res = parseResponse(found);
        if (req.method === 'INVITE' && res.status >= 300) this.send(this.#ack(req, res));
        return res;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  /** Sends `spec` and waits for its final response. */
  async request(spec: RequestSpec, timeoutMs = 3000): Promise<{ req: BuiltRequest; res: SipResponseText | null }> {
    const req = this.build(spec);
    this.send(req.text);
    if (this.#udp === undefined || this.retransmitMs <= 0) return { req, res: await this.final(req, timeoutMs) };
    const answered = responseTo(req);
    let interval = this.retransmitMs;
    let timer: NodeJS.Timeout | undefined;
    const resend = (): void => {
      if (this.#messages.some(answered)) return;
      this.send(req.text);
      interval = Math.min(interval * 2, 4000);
      timer = setTimeout(resend, interval);
    };
    timer = setTimeout(resend, interval);
    try {
      return { req, res: await this.final(req, timeoutMs) };
    } finally {
      clearTimeout(timer);
    }
  }

  #ack(req: BuiltRequest, res: SipResponseText): string {
    return [
      `ACK ${req.uri} SIP/2.0`,
      `Via: SIP/2.0/${this.transport.toUpperCase()} ${this.localAddress}:${this.localPort};branch=${req.branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:caller@${this.localAddress}>;tag=${req.fromTag}`,
      `To: ${res.headers('To')[0] ?? `<${req.uri}>`}`,
      `Call-ID: ${req.callId}`,
      `CSeq: ${req.cseq} ACK`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  close(): void {
    this.#udp?.close();
    this.#tcp?.destroy();
  }
}

/**
 * Challenge, then answer it: INVITE without credentials (expects 407), then the same call again
 * with credentials for the challenge of `algorithm`. Returns the challenge and the final response.
 */
export async function authenticatedInvite(
  client: SipClient,
  host: string,
  username: string,
  password: string,
  algorithm = 'MD5',
): Promise<{ challenge: Challenge; res: SipResponseText | null; authorization: string }> {
  const first = await client.request({ host });
  if (first.res?.status !== 407) throw new Error(`expected 407, got ${first.res?.status ?? 'nothing'}`);
  const challenge = challenges(first.res).find((c) => c.algorithm === algorithm);
  if (challenge === undefined) throw new Error(`no ${algorithm} challenge`);
  const authorization = digestAuthorization({ username, password, challenge, method: 'INVITE', uri: `sip:${host}` });
  const second = await client.request({ host, callId: first.req.callId, cseq: 2, extraHeaders: [`Proxy-Authorization: ${authorization}`] });
  return { challenge, res: second.res, authorization };
}
