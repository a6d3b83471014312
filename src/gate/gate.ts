// The gatekeeper (SPEC §4 steps 3-5, §5, §8): for a new out-of-dialog request, its source (from the
// socket) and the views, decide reject, challenge or accept. No I/O of its own: view lookups and the
// replay guard are injected and may be synchronous (in-process) or asynchronous (Redis); the
// decision is returned synchronously whenever every step was synchronous.
import type { DigestAlgorithm } from '../auth/algorithm.ts';
import { ChallengeBuilder } from '../auth/challenge.ts';
import type { DigestCredentials } from '../auth/credentials.ts';
import type { NonceService } from '../auth/nonce.ts';
import { NONCE_INVALID, NONCE_STALE } from '../auth/nonce.ts';
import type { ReplayGuard } from '../auth/replay.ts';
import { prepareHa1 } from '../auth/ha1.ts';
import type { PreparedHa1 } from '../auth/ha1.ts';
import { verifyDigestPrepared } from '../auth/verify.ts';
import type { SipRequest } from '../sip/message.ts';
import { getRequestUri } from '../sip/message.ts';
import { validateRequest } from '../sip/validate.ts';
import type { GateAccept, GateChallenge, GateDecision, GateReason, GateReject } from './decision.ts';
import { normaliseHost } from './own-hosts.ts';
import type { OwnHostMatcher } from './own-hosts.ts';
import { offeredCredentials } from './request-credentials.ts';
import { connectionKey, hostKey } from './view-keys.ts';
import type { AclPrefix, AuthRules, CompiledView, ConnectionView, TargetView, UserHa1 } from './view.ts';
import { warningValue } from './warning.ts';

export interface RequestSource {
  /** Address of the peer as the socket reports it (never from a header). */
  address: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
}

/** Looks views up by logical key (view-keys.ts: hostKey, connectionKey). */
export interface ViewLookup {
  /** The view, null when unknown; throws/rejects when the view cannot be known (store down). */
  lookup(key: string): CompiledView | null | Promise<CompiledView | null>;
}

export interface AclMatcher {
  contains(address: string): boolean;
}

export interface GateConfig {
  realm: string;
  /** Challenge algorithms in preference order (EDGE_DIGEST_ALGORITHMS). */
  algorithms: readonly DigestAlgorithm[];
  /** EDGE_CONNECTIONS_HOST (any case), or null. */
  connectionsHost: string | null;
  /** Host named in Warning headers (SIP_ADVERTISED_HOST). */
  warningHost: string;
  /** True for Request-URI hosts naming the edge itself (normalised: lowercase, no brackets). */
  isOwnHost: OwnHostMatcher;
}

export interface GateDeps {
  views: ViewLookup;
  nonces: NonceService;
  /** src/auth's MemoryReplayGuard, or the Redis-backed one (EDGE_REPLAY=redis). */
  replay: ReplayGuard;
  /** src/acl's compiler; results are cached per view. */
  compileAcl: (prefixes: readonly AclPrefix[]) => AclMatcher;
}

export interface Gate {
  decide(req: SipRequest, source: RequestSource, nowMs: number): GateDecision | Promise<GateDecision>;
}

type Step = GateDecision | Promise<GateDecision>;
/** What verify answers when nonce, digest and replay guard all passed. */
const VERIFIED = true;
type Verified = typeof VERIFIED | GateDecision | Promise<typeof VERIFIED | GateDecision>;

const PASS: GateDecision = Object.freeze({ outcome: 'pass', metricsReason: 'not_gated' });
/** A new object each time: callers may add headers (Allow, Accept) to the reply. */
function edgeOptions(): GateDecision {
  return { outcome: 'reply', status: 200, reason: 'OK', headers: [], metricsReason: 'edge_options' };
}

export function createGate(config: GateConfig, deps: GateDeps): Gate {
  const realm = config.realm;
  const connectionsHost = config.connectionsHost === null ? null : normaliseHost(config.connectionsHost);
  const acls = new WeakMap<AuthRules, AclMatcher>();
  const prepared = new WeakMap<Record<string, UserHa1>, Map<string, PreparedHa1>>();
  const preparedConnections = new WeakMap<ConnectionView, PreparedHa1>();
  const challenges = new ChallengeBuilder(realm, config.algorithms);

  // Warning values by text: the texts are a handful of constants (validation reasons included), and
  // wrong passwords or scans can make rejections as frequent as calls.
  const warnings = new Map<string, string>();
  function reject(status: number, reason: string, text: string, metricsReason: GateReason): GateReject {
    let warning = warnings.get(text);
    if (warning === undefined) {
      warning = warningValue(config.warningHost, text);
      if (warnings.size < 64) warnings.set(text, warning);
    }
    return { outcome: 'reject', status, reason, headers: [['Warning', warning]], metricsReason };
  }

  function challenge(req: SipRequest, source: RequestSource, nowMs: number, stale: boolean, why: GateReason): GateChallenge {
    const register = req.method === 'REGISTER';
    const nonce = deps.nonces.mint(source.address, nowMs);
    return {
      outcome: 'challenge',
      status: register ? 401 : 407,
      headerName: register ? 'WWW-Authenticate' : 'Proxy-Authenticate',
      headerValues: challenges.build(nonce, stale),
      stale,
      metricsReason: why,
    };
  }

  const authFailed = (): GateReject => reject(403, 'Forbidden', 'Authentication failed', 'auth_failed');
  function unavailable(text: string, metricsReason: GateReason): GateReject {
    const out = reject(503, 'Service Unavailable', text, metricsReason);
    out.headers.push(['Retry-After', '5']);
    return out;
  }
  const viewUnavailable = (): GateReject => unavailable('Configuration temporarily unavailable', 'view_unavailable');
  const guardUnavailable = (): GateReject => unavailable('Replay guard unavailable', 'replay_guard_unavailable');

  // The last rules' prepared users and ACL matcher: calls keep hitting the same view, and a pointer
  // comparison is cheaper than a WeakMap lookup by object identity. (They pin at most one replaced
  // view, until a decision for another view.)
  let lastUsers: Record<string, UserHa1> | null = null;
  let lastPrepared: Map<string, PreparedHa1> | null = null;
  let lastRules: AuthRules | null = null;
  let lastAcl: AclMatcher | null = null;

  /**
   * The users of a view with their HA1s readied for verification (prepareHa1), all at once when the
   * view is first used, as its ACL is compiled: never per user, so a known user's first attempt
   * costs what an unknown one's does.
   */
  function preparedUsers(users: Record<string, UserHa1>): Map<string, PreparedHa1> {
    if (users === lastUsers) return lastPrepared!;
    let m = prepared.get(users);
    if (m === undefined) {
      m = new Map();
      for (const name of Object.keys(users)) m.set(name, prepareHa1(users[name]!));
      prepared.set(users, m);
    }
    lastUsers = users;
    lastPrepared = m;
    return m;
  }

  function preparedConnection(conn: ConnectionView): PreparedHa1 {
    let p = preparedConnections.get(conn);
    if (p === undefined) {
      p = prepareHa1(conn.ha1);
      preparedConnections.set(conn, p);
    }
    return p;
  }

  function aclOf(rules: AuthRules): AclMatcher {
    if (rules === lastRules) return lastAcl!;
    let m = acls.get(rules);
    if (m === undefined) {
      m = deps.compileAcl(rules.acl);
      acls.set(rules, m);
    }
    lastRules = rules;
    lastAcl = m;
    return m;
  }

  /** Credentials for our realm from the header the method uses: 'none' when absent, 'bad' when unusable. */
  function credentialsOf(req: SipRequest): DigestCredentials | 'none' | 'bad' {
    const selected = offeredCredentials(req, realm);
    if (!selected.ok) return selected.error === 'none' ? 'none' : 'bad';
    if (!config.algorithms.includes(selected.credentials.algorithm)) return 'bad';
    return selected.credentials;
  }

  /**
   * The nonce (forged → fresh challenge, expired → stale challenge), then the digest against `ha1`
   * (null: unknown user, verified against a dummy so the work and the answer equal a wrong
   * password), then the replay guard. VERIFIED when all three passed (synchronously, or as the
   * promise's value when the replay guard answers asynchronously), else the decision to return.
   */
  function verify(
    req: SipRequest,
    source: RequestSource,
    nowMs: number,
    creds: DigestCredentials,
    ha1: PreparedHa1 | null,
  ): Verified {
    const issued = deps.nonces.check(creds.nonce, source.address, nowMs);
    if (issued === NONCE_INVALID) return challenge(req, source, nowMs, false, 'invalid_nonce');
    if (issued === NONCE_STALE) return challenge(req, source, nowMs, true, 'stale_nonce');
    if (!verifyDigestPrepared(creds, req.method, ha1)) return authFailed();
    const expiresAtSeconds = deps.nonces.expiresAt(issued);
    // Without qop there is no nonce count: such a nonce is good for one request.
    const nc = creds.qop === null ? 1 : creds.ncValue;
    let accepted: boolean | Promise<boolean>;
    try {
      accepted = deps.replay.admit(creds.nonce, nc, expiresAtSeconds, nowMs / 1000);
    } catch {
      return guardUnavailable();
    }
    if (accepted === true) return VERIFIED;
    if (accepted === false) return challenge(req, source, nowMs, false, 'replayed_nonce');
    return accepted.then(
      (ok) => (ok ? VERIFIED : challenge(req, source, nowMs, false, 'replayed_nonce')),
      guardUnavailable,
    );
  }

  function accept(req: SipRequest, target: CompiledView, user: string | null): GateAccept {
    return {
      outcome: 'accept',
      target,
      principal: user === null ? { kind: 'ip' } : { kind: 'digest', user },
      consumedCredentials: user === null ? null : req.method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization',
      metricsReason: user === null ? 'ip' : 'digest',
    };
  }

  /** Steps 4-5 for a domain or trunk. */
  function decideTarget(req: SipRequest, source: RequestSource, nowMs: number, view: CompiledView | null): Step {
    if (view === null || view.kind === 'connection') {
      return reject(404, 'Not Found', 'Unknown target', 'unknown_target');
    }
    if (view.accountStatus !== 'active') return reject(603, 'Decline', 'Account not active', 'account_inactive');
    const rules = rulesFor(req, view);
    if (rules === null) return reject(403, 'Forbidden', 'Registration not allowed', 'registration_not_allowed');
    if (!rules.aclMapped && !rules.credentialsMapped) {
      return reject(403, 'Forbidden', 'No authentication configured', 'nothing_mapped');
    }
    if (rules.aclMapped && !aclOf(rules).contains(source.address)) {
      return reject(403, 'Forbidden', 'Source address not allowed', 'acl_denied');
    }
    if (!rules.credentialsMapped) return accept(req, view, null);
    const creds = credentialsOf(req);
    if (creds === 'none') return challenge(req, source, nowMs, false, 'no_credentials');
    if (creds === 'bad') return challenge(req, source, nowMs, false, 'bad_credentials');
    const ha1 = preparedUsers(rules.users).get(creds.username) ?? null;
    const verified = verify(req, source, nowMs, creds, ha1);
    if (verified === VERIFIED) return accept(req, view, creds.username);
    if (!(verified instanceof Promise)) return verified;
    return verified.then((v) => (v === VERIFIED ? accept(req, view, creds.username) : v));
  }

  /** The rules that apply to this method, or null when REGISTER is not allowed here. */
  function rulesFor(req: SipRequest, view: TargetView): AuthRules | null {
    if (req.method !== 'REGISTER') return view.calls;
    if (view.registrations === null || !view.registrations.enabled) return null;
    return view.registrations.rules;
  }

  /** Credential connections: the digest username picks the connection (SPEC §3 Telnyx). */
  function decideConnection(req: SipRequest, source: RequestSource, nowMs: number): Step {
    const creds = credentialsOf(req);
    if (creds === 'none') return challenge(req, source, nowMs, false, 'no_credentials');
    if (creds === 'bad') return challenge(req, source, nowMs, false, 'bad_credentials');
    return lookupThen(connectionKey(creds.username), req, source, nowMs, (_req, _source, _now, view) => {
      const conn: ConnectionView | null =
        view !== null && view.kind === 'connection' && view.active && view.usernameExact === creds.username ? view : null;
      const verified = verify(req, source, nowMs, creds, conn === null ? null : preparedConnection(conn));
      if (verified === VERIFIED) return acceptConnection(req, conn!, creds.username);
      if (!(verified instanceof Promise)) return verified;
      return verified.then((v) => (v === VERIFIED ? acceptConnection(req, conn!, creds.username) : v));
    });
  }

  function acceptConnection(req: SipRequest, conn: ConnectionView, user: string): GateDecision {
    if (conn.accountStatus !== 'active') return reject(603, 'Decline', 'Account not active', 'account_inactive');
    return accept(req, conn, user);
  }

  /** The view under `key`, then next(req, source, nowMs, view); a failing lookup is a 503. */
  function lookupThen(
    key: string,
    req: SipRequest,
    source: RequestSource,
    nowMs: number,
    next: (req: SipRequest, source: RequestSource, nowMs: number, view: CompiledView | null) => Step,
  ): Step {
    let found: CompiledView | null | Promise<CompiledView | null>;
    try {
      found = deps.views.lookup(key);
    } catch {
      return viewUnavailable();
    }
    if (found instanceof Promise) return found.then((view) => next(req, source, nowMs, view), viewUnavailable);
    return next(req, source, nowMs, found);
  }

  // The last Request-URI host seen, normalised, and its view key: calls keep naming the same few
  // hosts, and a repeat then costs one string comparison instead of two lowercasings, a slice and
  // a concatenation (and the key, hashed once, is looked up without hashing it again).
  let lastRawHost: string | null = null;
  let lastHost = '';
  let lastHostKey = '';
  function hostOf(raw: string): string {
    if (raw !== lastRawHost) {
      lastHost = normaliseHost(raw);
      lastHostKey = hostKey(lastHost);
      lastRawHost = raw;
    }
    return lastHost;
  }

  return {
    decide(req, source, nowMs) {
      if (req.method === 'ACK') return PASS;
      const uri = getRequestUri(req);
      const host = uri !== null && uri.scheme !== 'tel' ? hostOf(uri.host) : null;
      const failure = validateRequest(req);
      if (failure !== null) {
        if (failure.status === 483 && req.method === 'OPTIONS' && host !== null && config.isOwnHost(host)) {
          return edgeOptions();
        }
        const metricsReason: GateReason =
          failure.status === 416 ? 'unsupported_scheme'
          : failure.status === 483 ? 'too_many_hops'
          : failure.status === 420 ? 'bad_extension'
          : 'invalid_request';
        const out = reject(failure.status, failure.reason, failure.reason, metricsReason);
        out.headers.unshift(...failure.headers);
        return out;
      }
      if (req.method === 'CANCEL') return PASS;
      if (host === null) return reject(404, 'Not Found', 'Unknown target', 'unknown_target');
      if (req.method === 'OPTIONS' && config.isOwnHost(host)) return edgeOptions();
      if (host === connectionsHost) return decideConnection(req, source, nowMs);
      // decideTarget itself as the continuation: no closure per decision.
      return lookupThen(host === lastHost ? lastHostKey : hostKey(host), req, source, nowMs, decideTarget);
    },
  };
}
