// pino logger factory. Every field that can carry a secret is censored wherever it appears up to
// three levels deep (pino's redaction has no recursive wildcard), plus the HTTP/SIP header maps
// that carry Authorization values. Log the request's routing facts, never its credentials.
import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { redactCredentialLines } from './redact-text.ts';

export type { Logger } from 'pino';

/** Field names whose values are secrets (lowercase, camelCase and Twilio's PascalCase forms). */
export const SECRET_FIELDS = [
  'password', 'Password', 'passwd', 'pass', 'new_password',
  'auth_token', 'authToken', 'AuthToken', 'token', 'access_token', 'refresh_token',
  'ha1', 'HA1', 'ha1s', 'ha1Md5', 'ha1Sha256', 'ha1Sha512_256', 'md5', 'sha256', 'sha512_256',
  'authorization', 'Authorization', 'proxy-authorization', 'Proxy-Authorization',
  'proxyAuthorization', 'digestResponse', 'users',
  'credentials', 'credential', 'secret', 'Secret', 'client_secret', 'secretKey', 'secret_key',
  'nonceSecret', 'nonce_secret', 'api_key', 'apiKey', 'ApiKey', 'private_key', 'privateKey',
  'certificate', 'cookie', 'set-cookie', 'x-api-key',
  'EDGE_AUTH_TOKEN', 'EDGE_NONCE_SECRET', 'EDGE_SECRET_KEY',
] as const;

const CENSOR = '[Redacted]';

function pathTo(field: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(field) ? `.${field}` : `["${field}"]`;
}

/** Redaction paths: each secret field at depth 0..3 (fast-redact wildcards, one level each). */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of SECRET_FIELDS) {
    const tail = pathTo(field);
    paths.push(tail.startsWith('.') ? field : tail);
    paths.push(`*${tail}`, `*.*${tail}`, `*.*.*${tail}`);
  }
  return paths;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export interface CreateLoggerOptions {
  /** Defaults to LOG_LEVEL, else "info". An unknown level falls back to "info" with a warning. */
  level?: string;
  /** Where JSON lines go (tests pass a stream to capture them); default stdout. */
  destination?: DestinationStream;
  /** Extra bindings on every line (e.g. { role: 'edge', worker: 2 }). */
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const requested = (options.level ?? process.env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  const level = LEVELS.has(requested) ? requested : 'info';
  const config: LoggerOptions = {
    level,
    base: { pid: process.pid, ...options.base },
    redact: { paths: redactPaths(), censor: CENSOR },
    formatters: {
      // A raw message logged as a string field still loses its Authorization values.
      // Copies only when something changed: the caller's object is never modified.
      log(object) {
        let out = object;
        for (const key of Object.keys(object)) {
          const value = object[key];
          if (typeof value !== 'string') continue;
          const clean = redactCredentialLines(value);
          if (clean === value) continue;
          if (out === object) out = { ...object };
          out[key] = clean;
        }
        return out;
      },
    },
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const arg = args[i];
          if (typeof arg === 'string') args[i] = redactCredentialLines(arg);
        }
        method.apply(this, args);
      },
    },
  };
  const logger = options.destination ? pino(config, options.destination) : pino(config);
  if (level !== requested) logger.warn({ requested }, 'unknown LOG_LEVEL, using info');
  return logger;
}

/**
 * A per-request child logger, built only when debug lines would be written: at level info this
 * is one level check and no allocation, and callers write `log?.debug(...)`.
 */
export function debugChild(logger: Logger, bindings: () => Record<string, unknown>): Logger | undefined {
  return logger.isLevelEnabled('debug') ? logger.child(bindings()) : undefined;
}
