// Real SIP requests (parsed by src/sip), real digest responses (computed here independently with
// node:crypto, RFC 7616 §3.4.1) and compiled views for the gate tests.
import { hash } from 'node:crypto';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';
import type { AclPrefix, AuthRules, ConnectionView, TargetView } from '../../src/gate/view.ts';

export const REALM = 'sip-edge';

export interface RequestSpec {
  method?: string;
  uri?: string;
  maxForwards?: number;
  extra?: string[];
  cseqMethod?: string;
}

export function request(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const uri = spec.uri ?? 'sip:+15551234@pbx.example.com';
  const lines = [
    `${method} ${uri} SIP/2.0`,
    'Via: SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK-abc123;rport',
    `Max-Forwards: ${spec.maxForwards ?? 70}`,
    'From: <sip:alice@client.example.com>;tag=f1',
    `To: <${uri}>`,
    'Call-ID: c1@client.example.com',
    `CSeq: 1 ${spec.cseqMethod ?? method}`,
    'Contact: <sip:alice@203.0.113.7:5060>',
    ...(spec.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  const msg = parseMessage(Buffer.from(lines.join('\r\n'), 'latin1'));
  if (msg.kind === 'parse-error' || msg.type !== 'request') throw new Error(`fixture did not parse: ${JSON.stringify(msg)}`);
  return msg;
}

const HASH: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

export interface DigestSpec {
  username: string;
  password: string;
  nonce: string;
  method: string;
  uri: string;
  algorithm?: 'MD5' | 'SHA-256' | 'SHA-512-256';
  nc?: number;
  cnonce?: string;
  /** false: RFC 2069 style (no qop). */
  qop?: boolean;
  realm?: string;
}

/** A Digest credentials header value, as a UA answers a challenge. */
export function digest(d: DigestSpec): string {
  const alg = d.algorithm ?? 'MD5';
  const h = (s: string) => hash(HASH[alg]!, s, 'hex');
  const realm = d.realm ?? REALM;
  const ha1 = h(`${d.username}:${realm}:${d.password}`);
  const ha2 = h(`${d.method}:${d.uri}`);
  const nc = (d.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = d.cnonce ?? '0a4f113b';
  const qop = d.qop ?? true;
  const response = qop ? h(`${ha1}:${d.nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${d.nonce}:${ha2}`);
  let v = `Digest username="${d.username}", realm="${realm}", nonce="${d.nonce}", uri="${d.uri}", response="${response}", algorithm=${alg}`;
  if (qop) v += `, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
  return v;
}

export function rules(opts: { acl?: AclPrefix[]; users?: Record<string, string> } = {}): AuthRules {
  return {
    aclMapped: opts.acl !== undefined,
    acl: opts.acl ?? [],
    credentialsMapped: opts.users !== undefined,
    users: Object.fromEntries(Object.entries(opts.users ?? {}).map(([u, p]) => [u, deriveHa1(u, REALM, p)])),
  };
}

let sidCounter = 0;
function sid(prefix: string): string {
  return prefix + (++sidCounter).toString(16).padStart(32, '0');
}

export function domain(
  host: string,
  calls: AuthRules,
  opts: { registrations?: { enabled: boolean; rules: AuthRules }; status?: 'active' | 'suspended' | 'closed' } = {},
): TargetView {
  return {
    kind: 'domain',
    sid: sid('SD'),
    accountSid: 'AC' + 'a'.repeat(32),
    accountStatus: opts.status ?? 'active',
    host,
    calls,
    registrations: opts.registrations ?? { enabled: false, rules: rules() },
    targets: [{ uri: 'sip:pbx.internal:5060', priority: 10, weight: 10 }],
    version: 1,
  };
}

export function trunk(host: string, calls: AuthRules): TargetView {
  return { ...domain(host, calls), kind: 'trunk', sid: sid('TK'), registrations: null };
}

export function connection(
  username: string,
  password: string,
  opts: { active?: boolean; status?: 'active' | 'suspended' } = {},
): ConnectionView {
  return {
    kind: 'connection',
    sid: String(1_000_000 + ++sidCounter),
    accountSid: 'AC' + 'a'.repeat(32),
    accountStatus: opts.status ?? 'active',
    username: username.toLowerCase(),
    usernameExact: username,
    ha1: deriveHa1(username, REALM, password),
    active: opts.active ?? true,
    sipTarget: 'sip:pbx.internal:5070',
    channelLimit: null,
    version: 1,
  };
}
