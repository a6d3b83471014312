// The process configuration, read once from the environment (SPEC §1). Every value is checked here:
// a bad value stops the process at start with one line naming the variable, never later on a call.

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { defaultTransportLimits } from './transport/limits.ts';
import type { TransportLimits } from './transport/limits.ts';

export type EdgeRole = 'all' | 'edge' | 'api';
export type DigestAlgorithm = 'MD5' | 'SHA-256' | 'SHA-512-256';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type ReplayStore = 'memory' | 'redis';
export type BanAction = '403' | 'drop';

/** Flood and brute-force protection (EDGE_RATE_LIMIT_*, EDGE_BAN_*). */
export interface ProtectionConfig {
  /** Sustained messages per second per source address (0 disables the limiter). */
  ratePerSecond: number;
  burst: number;
  /** Auth failures from one address within banWindowMs that ban it. */
  banThreshold: number;
  banWindowMs: number;
  banMs: number;
  /** Failures for one username (any source) within banWindowMs that ban it; 0 disables. */
  banUserThreshold: number;
  /** What a banned source gets: a 403, or nothing. */
  banAction: BanAction;
}

/** A listen address: host is an IP literal without brackets. */
export interface ListenAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

export interface EdgeConfig {
  sipListen: ListenAddress;
  /** Host put in Via and Record-Route (IPv6 without brackets). */
  sipAdvertisedHost: string;
  httpListen: ListenAddress;
  publicUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  role: EdgeRole;
  workers: number;
  realm: string;
  digestAlgorithms: readonly DigestAlgorithm[];
  nonceSecret: Buffer;
  /** True when EDGE_NONCE_SECRET was unset and a random secret was made for this process. */
  nonceSecretGenerated: boolean;
  nonceTtlS: number;
  /** 32-byte AES-256-GCM key, or undefined. */
  secretKey: Buffer | undefined;
  accountSid: string | undefined;
  authToken: string | undefined;
  domainSuffix: string | undefined;
  trunkDomainSuffix: string | undefined;
  connectionsHost: string | undefined;
  logLevel: LogLevel;
  /** Transport caps; SIP_TCP_* and SIP_MAX_* variables override the defaults. */
  transport: TransportLimits;
  /** EDGE_REPLAY: where (nonce, nc) pairs are remembered; redis needs REDIS_URL. */
  replay: ReplayStore;
  protection: ProtectionConfig;
  /** EDGE_SHUTDOWN_GRACE_S in ms: how long SIGTERM waits for transactions to finish. */
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const roles: readonly EdgeRole[] = ['all', 'edge', 'api'];
const algorithms: readonly DigestAlgorithm[] = ['MD5', 'SHA-256', 'SHA-512-256'];
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses `host:port` or `[v6]:port` with an IP literal host. Null when it is neither. */
export function parseHostPort(text: string): ListenAddress | null {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (isIP(host) !== 6) return null;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (isIP(host) !== 4) return null;
  }
  if (!/^[0-9]{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  return { host, port, family: isIP(host) === 6 ? 6 : 4 };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** A specific listen host is advertised as is; for a wildcard, the first non-loopback address. */
function defaultAdvertisedHost(listen: ListenAddress): string {
  if (!isWildcard(listen.host)) return listen.host;
  const candidates: Array<{ address: string; family: 4 | 6 }> = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv6' && info.address.startsWith('fe80:')) continue;
      candidates.push({ address: info.address, family: info.family === 'IPv6' ? 6 : 4 });
    }
  }
  const sameFamily = candidates.find((c) => c.family === listen.family) ?? candidates.find((c) => c.family === 4);
  return (sameFamily ?? candidates[0])?.address ?? (listen.family === 6 ? '::1' : '127.0.0.1');
}

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function address(env: Env, name: string, fallback: string): ListenAddress {
  const raw = text(env, name) ?? fallback;
  const parsed = parseHostPort(raw);
  if (parsed === null) throw new ConfigError(name, `expected host:port or [v6]:port with an IP address, got "${raw}"`);
  return parsed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,10}$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const found = allowed.find((a) => a === raw.toLowerCase());
  if (found === undefined) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return found;
}

function digestAlgorithms(env: Env): DigestAlgorithm[] {
  const raw = text(env, 'EDGE_DIGEST_ALGORITHMS') ?? 'MD5';
  const chosen: DigestAlgorithm[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().toUpperCase();
    const found = algorithms.find((a) => a === name);
    if (found === undefined) {
      throw new ConfigError('EDGE_DIGEST_ALGORITHMS', `unknown algorithm "${part.trim()}" (known: ${algorithms.join(', ')})`);
    }
    if (!chosen.includes(found)) chosen.push(found);
  }
  return chosen;
}

function secretKey(env: Env): Buffer | undefined {
  const raw = text(env, 'EDGE_SECRET_KEY');
  if (raw === undefined) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  const decoded = Buffer.from(raw, 'base64');
  if (decoded.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return decoded;
  throw new ConfigError('EDGE_SECRET_KEY', 'expected 32 bytes as 64 hex digits or base64');
}

function domainSuffix(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  if (!/^\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(raw)) throw new ConfigError(name, `not a domain suffix: "${raw}"`);
  return raw.toLowerCase();
}

function publicUrl(env: Env): string | undefined {
  const raw = text(env, 'PUBLIC_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `not an absolute URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('PUBLIC_URL', 'must be http or https');
  return raw.replace(/\/+$/, '');
}

function redisUrl(env: Env): string | undefined {
  const raw = text(env, 'REDIS_URL');
  if (raw === undefined) return undefined;
  if (!/^(redis|rediss|redis\+cluster):\/\/./.test(raw)) {
    throw new ConfigError('REDIS_URL', 'expected redis://, rediss:// or redis+cluster:// URL');
  }
  return raw;
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object' && !Buffer.isBuffer(inner) && !Object.isFrozen(inner)) deepFreeze(inner);
  }
  return Object.freeze(value);
}

/** Reads the configuration from `env` (process.env by default). Throws ConfigError on a bad value. */
export function loadConfig(env: Env = process.env): Readonly<EdgeConfig> {
  const sipListen = address(env, 'SIP_LISTEN', '0.0.0.0:5060');
  const advertised = text(env, 'SIP_ADVERTISED_HOST');
  if (advertised !== undefined && /[\s;,<>"]/.test(advertised)) {
    throw new ConfigError('SIP_ADVERTISED_HOST', `not a host: "${advertised}"`);
  }
  const nonce = text(env, 'EDGE_NONCE_SECRET');
  if (nonce !== undefined && nonce.length < 16) throw new ConfigError('EDGE_NONCE_SECRET', 'must be at least 16 characters');
  const accountSid = text(env, 'EDGE_ACCOUNT_SID');
  if (accountSid !== undefined && !/^AC[0-9a-f]{32}$/.test(accountSid)) {
    throw new ConfigError('EDGE_ACCOUNT_SID', 'expected AC followed by 32 lowercase hex digits');
  }
  const authToken = text(env, 'EDGE_AUTH_TOKEN');
  if (authToken !== undefined && authToken.length < 16) throw new ConfigError('EDGE_AUTH_TOKEN', 'must be at least 16 characters');
  const realm = text(env, 'EDGE_REALM') ?? 'sip-edge';
  if (/["\\\r\n]/.test(realm)) throw new ConfigError('EDGE_REALM', 'must not contain quotes, backslashes or line breaks');
  const connectionsHost = text(env, 'EDGE_CONNECTIONS_HOST');
  if (connectionsHost !== undefined && /[\s;,<>"@:]/.test(connectionsHost)) {
    throw new ConfigError('EDGE_CONNECTIONS_HOST', `not a host: "${connectionsHost}"`);
  }
  const d = defaultTransportLimits;
  const redis = redisUrl(env);
  const replay = oneOf<ReplayStore>(env, 'EDGE_REPLAY', ['memory', 'redis'], 'memory');
  if (replay === 'redis' && redis === undefined) throw new ConfigError('EDGE_REPLAY', 'redis needs REDIS_URL');
  const role = oneOf(env, 'EDGE_ROLE', roles, 'all');
  if (role === 'edge' && redis === undefined) throw new ConfigError('EDGE_ROLE', 'edge reads its views from Redis and needs REDIS_URL');
  const config: EdgeConfig = {
    sipListen,
    sipAdvertisedHost: advertised ?? defaultAdvertisedHost(sipListen),
    httpListen: address(env, 'HTTP_LISTEN', '0.0.0.0:8080'),
    publicUrl: publicUrl(env),
    dataDir: text(env, 'DATA_DIR') ?? './data',
    redisUrl: redis,
    role,
    workers: integer(env, 'EDGE_WORKERS', 1, 1, 256),
    realm,
    digestAlgorithms: digestAlgorithms(env),
    nonceSecret: nonce === undefined ? randomBytes(32) : Buffer.from(nonce, 'utf8'),
    nonceSecretGenerated: nonce === undefined,
    nonceTtlS: integer(env, 'EDGE_NONCE_TTL_S', 300, 1, 86_400),
    secretKey: secretKey(env),
    accountSid,
    authToken,
    domainSuffix: domainSuffix(env, 'EDGE_DOMAIN_SUFFIX'),
    trunkDomainSuffix: domainSuffix(env, 'EDGE_TRUNK_DOMAIN_SUFFIX'),
    connectionsHost: connectionsHost?.toLowerCase(),
    logLevel: oneOf(env, 'LOG_LEVEL', logLevels, 'info'),
    transport: {
      maxHeaderBytes: integer(env, 'SIP_MAX_HEADER_BYTES', d.maxHeaderBytes, 1024, 1024 * 1024),
      maxBodyBytes: integer(env, 'SIP_MAX_BODY_BYTES', d.maxBodyBytes, 0, 16 * 1024 * 1024),
      idleTimeoutMs: integer(env, 'SIP_TCP_IDLE_TIMEOUT_S', d.idleTimeoutMs / 1000, 1, 86_400) * 1000,
      messageTimeoutMs: integer(env, 'SIP_TCP_MESSAGE_TIMEOUT_S', d.messageTimeoutMs / 1000, 1, 3600) * 1000,
      maxConnections: integer(env, 'SIP_TCP_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
      maxConnectionsPerSource: integer(env, 'SIP_TCP_MAX_CONNECTIONS_PER_SOURCE', d.maxConnectionsPerSource, 1, 1_000_000),
      maxPendingWriteBytes: d.maxPendingWriteBytes,
    },
    replay,
    protection: {
      ratePerSecond: integer(env, 'EDGE_RATE_LIMIT_PPS', 200, 0, 1_000_000),
      burst: integer(env, 'EDGE_RATE_LIMIT_BURST', 400, 1, 10_000_000),
      banThreshold: integer(env, 'EDGE_BAN_THRESHOLD', 10, 1, 100),
      banWindowMs: integer(env, 'EDGE_BAN_WINDOW_S', 60, 1, 86_400) * 1000,
      banMs: integer(env, 'EDGE_BAN_DURATION_S', 600, 1, 7 * 86_400) * 1000,
      banUserThreshold: integer(env, 'EDGE_BAN_USER_THRESHOLD', 30, 0, 100),
      banAction: oneOf<BanAction>(env, 'EDGE_BAN_ACTION', ['403', 'drop'], '403'),
    },
    shutdownGraceMs: integer(env, 'EDGE_SHUTDOWN_GRACE_S', 10, 0, 3600) * 1000,
  };
  return deepFreeze(config);
}
