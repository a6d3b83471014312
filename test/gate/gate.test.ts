// Table-driven tests of the gate (SPEC §4 steps 3-5, §5, §8) over real parsed requests and real
// digest responses.
import { describe, expect, it } from 'vitest';
import { createGate } from '../../src/gate/gate.ts';
import type { Gate, GateConfig, RequestSource } from '../../src/gate/gate.ts';
import type { GateDecision } from '../../src/gate/decision.ts';
import { ownHostMatcher } from '../../src/gate/own-hosts.ts';
import { responseParts } from '../../src/gate/response-parts.ts';
import { NonceService } from '../../src/auth/nonce.ts';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';
import type { ReplayGuard } from '../../src/auth/replay.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { REALM, connection, digest, domain, request, rules, trunk } from './fixtures.ts';
import type { RequestSpec } from './fixtures.ts';
import { compileAcl } from '../../src/acl/matcher.ts';
import { mapLookup } from './stand-ins.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const SRC: RequestSource = { address: '203.0.113.7', port: 5060, transport: 'udp' };
const OUTSIDE: RequestSource = { address: '198.51.100.9', port: 5060, transport: 'udp' };
const PW = 'Corr3ct-Horse-Battery';

const VIEWS: CompiledView[] = [
  domain('ip-only.example.com', rules({ acl: [{ address: '203.0.113.0', prefixLength: 24 }] })),
  domain('creds-only.example.com', rules({ users: { alice: PW } }), {
    registrations: { enabled: true, rules: rules({ users: { reggie: PW } }) },
  }),
  domain('both.example.com', rules({ acl: [{ address: '203.0.113.7', prefixLength: 32 }], users: { alice: PW } })),
  domain('empty-acl.example.com', rules({ acl: [] })),
  domain('nothing.example.com', rules()),
  domain('noreg.example.com', rules({ users: { alice: PW } })),
  domain('suspended.example.com', rules({ users: { alice: PW } }), { status: 'suspended' }),
  domain('v6.example.com', rules({ acl: [{ address: '2001:db8::', prefixLength: 32 }] })),
  trunk('trunk.example.com', rules({ acl: [{ address: '203.0.113.0', prefixLength: 24 }] })),
  connection('Conn1User', PW),
  connection('sleepy', PW, { active: false }),
  connection('closedacct', PW, { status: 'suspended' }),
];

const CONFIG: GateConfig = {
  realm: REALM,
  algorithms: ['SHA-256', 'MD5'],
  connectionsHost: 'sip.Connections.example',
  warningHost: 'edge.example.net',
  isOwnHost: ownHostMatcher(['edge.example.net', '192.0.2.10', '[2001:db8::10]']),
};

function setup(opts: { async?: boolean; replay?: ReplayGuard } = {}) {
  const nonces = new NonceService({ secret: 'test-secret', realm: REALM, ttlSeconds: 300 });
  const replay = opts.replay ?? new MemoryReplayGuard({ slots: 1024 });
  const views = mapLookup(VIEWS, opts.async ? 'async' : 'sync');
  const gate = createGate(CONFIG, { views, nonces, replay, compileAcl });
  return { gate, nonces, views };
}

async function decide(gate: Gate, spec: RequestSpec, source = SRC, now = NOW): Promise<GateDecision> {
  return gate.decide(request(spec), source, now);
}

/** A request carrying valid credentials for `user` (on the method's credentials header). */
function authed(
  nonces: NonceService,
  spec: RequestSpec & { user?: string; password?: string; nc?: number; algorithm?: 'MD5' | 'SHA-256' | 'SHA-512-256'; nonce?: string; qop?: boolean; source?: RequestSource; issuedAt?: number },
): RequestSpec {
  const method = spec.method ?? 'INVITE';
  const uri = spec.uri ?? 'sip:+15551234@creds-only.example.com';
  const nonce = spec.nonce ?? nonces.mint((spec.source ?? SRC).address, spec.issuedAt ?? NOW);
  const value = digest({
    username: spec.user ?? 'alice',
    password: spec.password ?? PW,
    nonce,
    method,
    uri: 'sip:203.0.113.1:5060', // SIPp style: need not equal the Request-URI
    ...(spec.algorithm ? { algorithm: spec.algorithm } : {}),
    ...(spec.nc ? { nc: spec.nc } : {}),
    ...(spec.qop === false ? { qop: false } : {}),
  });
  const header = method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization';
  return { ...spec, method, uri, extra: [...(spec.extra ?? []), `${header}: ${value}`] };
}

function warningOf(d: GateDecision): string | undefined {
  return d.outcome === 'reject' ? d.headers.find(([n]) => n === 'Warning')?.[1] : undefined;
}

describe('gate: validation and routing rows', () => {
  const { gate } = setup();
  const rows: Array<[string, RequestSpec, RequestSource, Partial<Record<string, unknown>>]> = [
    ['unknown host → 404', { uri: 'sip:x@unknown.example.com' }, SRC, { outcome: 'reject', status: 404, metricsReason: 'unknown_target' }],
    ['tel: Request-URI names no target → 404', { uri: 'tel:+15551234' }, SRC, { outcome: 'reject', status: 404 }],
    ['unsupported scheme → 416', { uri: 'urn:service:sos' }, SRC, { outcome: 'reject', status: 416, metricsReason: 'unsupported_scheme' }],
    ['Max-Forwards 0 → 483', { uri: 'sip:x@ip-only.example.com', maxForwards: 0 }, SRC, { outcome: 'reject', status: 483, metricsReason: 'too_many_hops' }],
    ['two Call-ID values → 400', { extra: ['Call-ID: second@x'] }, SRC, { outcome: 'reject', status: 400, metricsReason: 'invalid_request' }],
    ['OPTIONS to the edge by name → 200, never challenged', { method: 'OPTIONS', uri: 'sip:edge.example.net' }, SRC, { outcome: 'reply', status: 200 }],
    ['OPTIONS to the edge by IPv6 → 200', { method: 'OPTIONS', uri: 'sip:[2001:DB8::10]:5060' }, SRC, { outcome: 'reply', status: 200 }],
    ['OPTIONS to the edge with Max-Forwards 0 → 200', { method: 'OPTIONS', uri: 'sip:192.0.2.10', maxForwards: 0 }, SRC, { outcome: 'reply', status: 200 }],
    ['OPTIONS to a domain with Max-Forwards 0 → 483', { method: 'OPTIONS', uri: 'sip:creds-only.example.com', maxForwards: 0 }, SRC, { outcome: 'reject', status: 483 }],
    ['OPTIONS to a credentials domain is challenged like any request', { method: 'OPTIONS', uri: 'sip:creds-only.example.com' }, SRC, { outcome: 'challenge', status: 407 }],
    ['ACK never challenged', { method: 'ACK', uri: 'sip:x@creds-only.example.com' }, SRC, { outcome: 'pass' }],
    ['CANCEL never challenged', { method: 'CANCEL', uri: 'sip:x@creds-only.example.com' }, SRC, { outcome: 'pass' }],
    ['suspended account → 603', { uri: 'sip:x@suspended.example.com' }, SRC, { outcome: 'reject', status: 603, metricsReason: 'account_inactive' }],
    ['nothing mapped → 403', { uri: 'sip:x@nothing.example.com' }, SRC, { outcome: 'reject', status: 403, metricsReason: 'nothing_mapped' }],
    ['source in ACL → accepted (ip)', { uri: 'sip:x@ip-only.example.com' }, SRC, { outcome: 'accept', principal: { kind: 'ip' }, consumedCredentials: null }],
    ['source outside ACL → 403', { uri: 'sip:x@ip-only.example.com' }, OUTSIDE, { outcome: 'reject', status: 403, metricsReason: 'acl_denied' }],
    ['IPv4-mapped IPv6 source matched as IPv4', { uri: 'sip:x@ip-only.example.com' }, { address: '::ffff:203.0.113.7', port: 5060, transport: 'tcp' }, { outcome: 'accept' }],
    ['IPv6 source in an IPv6 ACL → accepted', { uri: 'sip:x@v6.example.com' }, { address: '2001:db8:1::5', port: 5060, transport: 'udp' }, { outcome: 'accept' }],
    ['IPv6 source outside → 403', { uri: 'sip:x@v6.example.com' }, { address: '2001:db9::5', port: 5060, transport: 'udp' }, { outcome: 'reject', status: 403 }],
    ['empty mapped ACL admits nobody', { uri: 'sip:x@empty-acl.example.com' }, SRC, { outcome: 'reject', status: 403, metricsReason: 'acl_denied' }],
    ['trunk with ACL → accepted', { uri: 'sip:+1555@trunk.example.com' }, SRC, { outcome: 'accept', principal: { kind: 'ip' } }],
    ['host is case-insensitive', { uri: 'sip:x@IP-Only.Example.COM' }, SRC, { outcome: 'accept' }],
    ['credentials mapped, none sent → 407', { uri: 'sip:x@creds-only.example.com' }, SRC, { outcome: 'challenge', status: 407, headerName: 'Proxy-Authenticate', stale: false, metricsReason: 'no_credentials' }],
    ['both mapped, source in ACL, no credentials → 407', { uri: 'sip:x@both.example.com' }, SRC, { outcome: 'challenge', status: 407 }],
    ['both mapped, source outside ACL → 403 without challenge', { uri: 'sip:x@both.example.com' }, OUTSIDE, { outcome: 'reject', status: 403, metricsReason: 'acl_denied' }],
    ['REGISTER without credentials → 401', { method: 'REGISTER', uri: 'sip:creds-only.example.com' }, SRC, { outcome: 'challenge', status: 401, headerName: 'WWW-Authenticate' }],
    ['REGISTER to a domain with sip_registration false → 403', { method: 'REGISTER', uri: 'sip:noreg.example.com' }, SRC, { outcome: 'reject', status: 403, metricsReason: 'registration_not_allowed' }],
    ['REGISTER to a trunk → 403', { method: 'REGISTER', uri: 'sip:trunk.example.com' }, SRC, { outcome: 'reject', status: 403, metricsReason: 'registration_not_allowed' }],
    ['connections host without credentials → 407', { uri: 'sip:+1555@sip.connections.example' }, SRC, { outcome: 'challenge', status: 407 }],
  ];
  for (const [name, spec, source, expected] of rows) {
    it(name, async () => {
      expect(await decide(gate, spec, source)).toMatchObject(expected);
    });
  }

  it('Proxy-Require → 420 with Unsupported', async () => {
    const d = await decide(gate, { uri: 'sip:x@ip-only.example.com', extra: ['Proxy-Require: foo, bar'] });
    expect(d).toMatchObject({ outcome: 'reject', status: 420, metricsReason: 'bad_extension' });
    expect(d.outcome === 'reject' && d.headers).toContainEqual(['Unsupported', 'foo, bar']);
  });

  it('every rejection carries Warning: 399 <host> "<reason>"', async () => {
    for (const [, spec, source, expected] of rows) {
      if (expected.outcome !== 'reject') continue;
      expect(warningOf(await decide(gate, spec, source))).toMatch(/^399 edge\.example\.net "[^"]+"$/);
    }
  });

  it('challenges carry one header per configured algorithm, in order, with qop and realm', async () => {
    const d = await decide(gate, { uri: 'sip:x@creds-only.example.com' });
    if (d.outcome !== 'challenge') throw new Error('expected a challenge');
    expect(d.headerValues).toHaveLength(2);
    expect(d.headerValues[0]).toMatch(/^Digest realm="sip-edge", nonce="[A-Za-z0-9_-]{16,}", qop="auth", algorithm=SHA-256$/);
    expect(d.headerValues[1]).toMatch(/algorithm=MD5$/);
  });
});

describe('gate: Request-URI hosts', () => {
  it('finds each view when hosts in any case alternate', async () => {
    const { gate } = setup();
    const sequence: Array<[string, string]> = [
      ['sip:x@IP-Only.Example.COM', 'accept'],
      ['sip:x@ip-only.example.com', 'accept'],
      ['sip:x@unknown.example.com', 'reject'],
      ['sip:x@IP-ONLY.example.com', 'accept'],
      ['sip:x@ip-only.example.com:5060', 'accept'],
      ['sip:x@creds-only.example.com', 'challenge'],
      ['sip:x@Unknown.Example.com', 'reject'],
      ['sip:x@ip-only.example.com', 'accept'],
    ];
    for (const [uri, outcome] of sequence) expect((await decide(gate, { uri })).outcome, uri).toBe(outcome);
  });
});

describe('gate: credentials rows', () => {
  it('right credentials → accepted, for every algorithm and without qop', async () => {
    const { gate, nonces } = setup();
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const d = await decide(gate, authed(nonces, { algorithm }));
      expect(d).toMatchObject({ outcome: 'accept', principal: { kind: 'digest', user: 'alice' }, consumedCredentials: 'Proxy-Authorization', metricsReason: 'digest' });
    }
    expect(await decide(gate, authed(nonces, { qop: false }))).toMatchObject({ outcome: 'accept' });
  });

  it('an algorithm we did not offer → fresh challenge', async () => {
    const { gate, nonces } = setup();
    expect(await decide(gate, authed(nonces, { algorithm: 'SHA-512-256' }))).toMatchObject({ outcome: 'challenge', stale: false, metricsReason: 'bad_credentials' });
  });

  it('wrong password and unknown user → the same 403', async () => {
    const { gate, nonces } = setup();
    const nonce = nonces.mint(SRC.address, NOW);
    const wrong = await decide(gate, authed(nonces, { nonce, password: 'Wrong-Passw0rd!' }));
    const unknown = await decide(gate, authed(nonces, { nonce, user: 'mallory' }));
    expect(wrong).toMatchObject({ outcome: 'reject', status: 403, metricsReason: 'auth_failed' });
    expect(unknown).toEqual(wrong);
    for (const user of ['__proto__', 'constructor', 'toString']) {
      expect(await decide(gate, authed(nonces, { user }))).toEqual(wrong);
    }
  });

  it('expired nonce → 407 stale=true', async () => {
    const { gate, nonces } = setup();
    const d = await decide(gate, authed(nonces, { issuedAt: NOW - 301_000 }));
    expect(d).toMatchObject({ outcome: 'challenge', status: 407, stale: true, metricsReason: 'stale_nonce' });
    expect(d.outcome === 'challenge' && d.headerValues.every((v) => v.endsWith(', stale=true'))).toBe(true);
  });

  it('replayed (nonce, nc) → 407 fresh challenge; a growing nc passes', async () => {
    const { gate, nonces } = setup();
    const nonce = nonces.mint(SRC.address, NOW);
    expect(await decide(gate, authed(nonces, { nonce, nc: 1 }))).toMatchObject({ outcome: 'accept' });
    expect(await decide(gate, authed(nonces, { nonce, nc: 1 }))).toMatchObject({ outcome: 'challenge', stale: false, metricsReason: 'replayed_nonce' });
    expect(await decide(gate, authed(nonces, { nonce, nc: 2 }))).toMatchObject({ outcome: 'accept' });
    expect(await decide(gate, authed(nonces, { nonce, nc: 2 }))).toMatchObject({ outcome: 'challenge', metricsReason: 'replayed_nonce' });
  });

  it('a nonce without qop is good for one request', async () => {
    const { gate, nonces } = setup();
    const nonce = nonces.mint(SRC.address, NOW);
    expect(await decide(gate, authed(nonces, { nonce, qop: false }))).toMatchObject({ outcome: 'accept' });
    expect(await decide(gate, authed(nonces, { nonce, qop: false }))).toMatchObject({ outcome: 'challenge', metricsReason: 'replayed_nonce' });
  });

  it('forged nonce, or a nonce minted for another source → 407 fresh challenge', async () => {
    const { gate, nonces } = setup();
    const other = new NonceService({ secret: 'another-secret', realm: REALM, ttlSeconds: 300 });
    expect(await decide(gate, authed(nonces, { nonce: other.mint(SRC.address, NOW) }))).toMatchObject({ outcome: 'challenge', stale: false, metricsReason: 'invalid_nonce' });
    expect(await decide(gate, authed(nonces, { nonce: nonces.mint(OUTSIDE.address, NOW) }))).toMatchObject({ outcome: 'challenge', metricsReason: 'invalid_nonce' });
  });

  it('credentials for another realm count as none', async () => {
    const { gate, nonces } = setup();
    const spec: RequestSpec = {
      uri: 'sip:x@creds-only.example.com',
      extra: [`Proxy-Authorization: ${digest({ username: 'alice', password: PW, nonce: nonces.mint(SRC.address, NOW), method: 'INVITE', uri: 'sip:x', realm: 'elsewhere' })}`],
    };
    expect(await decide(gate, spec)).toMatchObject({ outcome: 'challenge', metricsReason: 'no_credentials' });
  });

  it('both mapped: source in ACL and right credentials → accepted as digest', async () => {
    const { gate, nonces } = setup();
    expect(await decide(gate, authed(nonces, { uri: 'sip:x@both.example.com' }))).toMatchObject({ outcome: 'accept', principal: { kind: 'digest', user: 'alice' } });
    expect(await decide(gate, authed(nonces, { uri: 'sip:x@both.example.com', source: OUTSIDE }), OUTSIDE)).toMatchObject({ outcome: 'reject', metricsReason: 'acl_denied' });
  });

  it('REGISTER uses the Registrations mapping and Authorization', async () => {
    const { gate, nonces } = setup();
    const reg = { method: 'REGISTER', uri: 'sip:creds-only.example.com' };
    expect(await decide(gate, authed(nonces, { ...reg, user: 'reggie' }))).toMatchObject({ outcome: 'accept', consumedCredentials: 'Authorization', principal: { user: 'reggie' } });
    // alice is in the calls list only.
    expect(await decide(gate, authed(nonces, { ...reg, user: 'alice' }))).toMatchObject({ outcome: 'reject', status: 403 });
    // Calls do not accept the registration list.
    expect(await decide(gate, authed(nonces, { user: 'reggie' }))).toMatchObject({ outcome: 'reject', status: 403 });
  });

  it('credential connections: the digest username picks the connection', async () => {
    const { gate, nonces } = setup();
    const uri = 'sip:+1555@sip.connections.example';
    const ok = await decide(gate, authed(nonces, { uri, user: 'Conn1User' }));
    expect(ok).toMatchObject({ outcome: 'accept', principal: { kind: 'digest', user: 'Conn1User' } });
    expect(ok.outcome === 'accept' && ok.target.kind).toBe('connection');
    const wrong = await decide(gate, authed(nonces, { uri, user: 'Conn1User', password: 'Wrong-Passw0rd!' }));
    expect(wrong).toMatchObject({ outcome: 'reject', status: 403, metricsReason: 'auth_failed' });
    for (const user of ['nobody', 'sleepy', 'conn1user']) {
      expect(await decide(gate, authed(nonces, { uri, user }))).toEqual(wrong);
    }
    expect(await decide(gate, authed(nonces, { uri, user: 'closedacct' }))).toMatchObject({ outcome: 'reject', status: 603 });
  });
});

describe('gate: synchronous when possible, asynchronous collaborators accepted', () => {
  it('returns a plain decision with in-process views and the memory replay guard', () => {
    const { gate, nonces } = setup();
    const d = gate.decide(request(authed(nonces, {})), SRC, NOW);
    expect(d).not.toBeInstanceOf(Promise);
    expect(d).toMatchObject({ outcome: 'accept' });
  });

  it('gives the same decisions with async views and an async replay guard', async () => {
    const memory = new MemoryReplayGuard({ slots: 1024 });
    const asyncGuard: ReplayGuard = { admit: (...args) => Promise.resolve(memory.admit(...args)) };
    const { gate, nonces } = setup({ async: true, replay: asyncGuard });
    const nonce = nonces.mint(SRC.address, NOW);
    const first = gate.decide(request(authed(nonces, { nonce })), SRC, NOW);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ outcome: 'accept' });
    expect(await gate.decide(request(authed(nonces, { nonce })), SRC, NOW)).toMatchObject({ metricsReason: 'replayed_nonce' });
    expect(await gate.decide(request({ uri: 'sip:x@unknown.example.com' }), SRC, NOW)).toMatchObject({ status: 404 });
  });

  it('a view store that fails → 503, and a failing replay guard → 503', async () => {
    const nonces = new NonceService({ secret: 's', realm: REALM, ttlSeconds: 300 });
    const broken = createGate(CONFIG, {
      views: { lookup: () => Promise.reject(new Error('redis down')) },
      nonces,
      replay: { admit: () => Promise.reject(new Error('redis down')) },
      compileAcl,
    });
    const down = await broken.decide(request({ uri: 'sip:x@ip-only.example.com' }), SRC, NOW);
    expect(down).toMatchObject({ outcome: 'reject', status: 503, metricsReason: 'view_unavailable' });
    expect(down.outcome === 'reject' && down.headers).toContainEqual(['Retry-After', '5']);
    const throwing = createGate(CONFIG, {
      views: mapLookup(VIEWS),
      nonces,
      replay: { admit: () => Promise.reject(new Error('redis down')) },
      compileAcl,
    });
    expect(await throwing.decide(request(authed(nonces, {})), SRC, NOW)).toMatchObject({ status: 503, metricsReason: 'replay_guard_unavailable' });
  });

  it('compiles each ACL once per view', () => {
    let compiled = 0;
    const nonces = new NonceService({ secret: 's', realm: REALM, ttlSeconds: 300 });
    const gate = createGate(CONFIG, {
      views: mapLookup(VIEWS),
      nonces,
      replay: new MemoryReplayGuard({ slots: 64 }),
      compileAcl: (p) => (compiled++, compileAcl(p)),
    });
    for (let i = 0; i < 10; i++) gate.decide(request({ uri: 'sip:x@ip-only.example.com' }), SRC, NOW);
    expect(compiled).toBe(1);
  });
});

describe('responseParts', () => {
  it('turns decisions into the response to send, or null when the edge does not answer', async () => {
    const { gate, nonces } = setup();
    const challenge = await decide(gate, { method: 'REGISTER', uri: 'sip:creds-only.example.com' });
    const parts = responseParts(challenge);
    expect(parts).toMatchObject({ status: 401, reason: 'Unauthorized' });
    expect(parts?.headers.map(([n]) => n)).toEqual(['WWW-Authenticate', 'WWW-Authenticate']);
    expect(responseParts(await decide(gate, { uri: 'sip:x@nothing.example.com' }))).toMatchObject({ status: 403, headers: [['Warning', '399 edge.example.net "No authentication configured"']] });
    expect(responseParts(await decide(gate, { method: 'OPTIONS', uri: 'sip:edge.example.net' }))).toEqual({ status: 200, reason: 'OK', headers: [] });
    expect(responseParts(await decide(gate, authed(nonces, {})))).toBeNull();
    expect(responseParts(await decide(gate, { method: 'ACK' }))).toBeNull();
  });
});
