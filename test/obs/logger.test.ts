import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SECRET_FIELDS, createLogger, debugChild } from '../../src/obs/logger.ts';
import { redactCredentialLines } from '../../src/obs/redact-text.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('prints none of the secret values, at any depth up to three, in headers or at the top', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    const secrets: string[] = [];
    let n = 0;
    const secretFor = () => {
      const value = `S3cr3t-value-${n++}-xq`;
      secrets.push(value);
      return value;
    };
    for (const field of SECRET_FIELDS) {
      logger.info({ [field]: secretFor() }, 'top');
      logger.info({ req: { [field]: secretFor() } }, 'depth 1');
      logger.info({ req: { headers: { [field]: secretFor() } } }, 'depth 2');
      logger.info({ a: { b: { c: { [field]: secretFor() } } } }, 'depth 3');
    }
    logger.info({
      headers: { authorization: secretFor(), 'proxy-authorization': secretFor(), 'Proxy-Authorization': secretFor() },
      account: { sid: 'AC0123', auth_token: secretFor() },
      user: { username: 'alice', password: secretFor() },
      view: { calls: { users: { alice: { md5: secretFor(), sha256: secretFor() } } } },
      connection: { user_name: 'bob', ha1: { md5: secretFor() } },
      config: { EDGE_NONCE_SECRET: secretFor(), EDGE_AUTH_TOKEN: secretFor(), EDGE_SECRET_KEY: secretFor() },
    }, 'mixed');
    const output = lines.join('');
    expect(lines.length).toBe(SECRET_FIELDS.length * 4 + 1);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain('[Redacted]');
    // Non-secret context survives.
    expect(output).toContain('"sid":"AC0123"');
    expect(output).toContain('"username":"alice"');
  });

  it('censors Authorization header values inside raw message text, in fields and in the message', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'debug', destination: stream });
    const raw = [
      'INVITE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
      'Proxy-Authorization: Digest username="alice", realm="sip-edge",',
      '  nonce="n1", uri="sip:bob@example.com", response="f00dfacef00dface0001"',
      'authorization : Basic QUMxOnNlY3JldHRva2Vu',
      'Call-ID: c1',
      '',
      '',
    ].join('\r\n');
    const original = { raw };
    logger.debug(original, 'received');
    logger.debug(`received ${raw}`);
    const output = lines.join('');
    expect(output).not.toContain('f00dfacef00dface0001');
    expect(output).not.toContain('QUMxOnNlY3JldHRva2Vu');
    expect(output).not.toContain('username=\\"alice\\"');
    expect(output).toContain('Call-ID: c1');
    expect(output).toContain('Proxy-Authorization: [Redacted]');
    // The caller's object is left alone.
    expect(original.raw).toBe(raw);
    expect(redactCredentialLines('plain text')).toBe('plain text');
  });

  it('honours LOG_LEVEL and falls back to info on an unknown level', () => {
    const { lines, stream } = capture();
    const saved = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const logger = createLogger({ destination: stream });
      logger.info('hidden');
      logger.warn('shown');
      expect(lines.length).toBe(1);
      const fallback = createLogger({ level: 'loud', destination: stream });
      expect(fallback.level).toBe('info');
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });

  it('builds a per-request child only at debug', () => {
    const { lines, stream } = capture();
    let built = 0;
    const bindings = () => {
      built++;
      return { callId: 'abc@host' };
    };
    const info = createLogger({ level: 'info', destination: stream });
    expect(debugChild(info, bindings)).toBeUndefined();
    expect(built).toBe(0);
    const debug = createLogger({ level: 'debug', destination: stream });
    const child = debugChild(debug, bindings);
    expect(built).toBe(1);
    child?.debug({ headers: { authorization: 'Digest username="x", response="deadbeef00"' } }, 'request');
    const output = lines.join('');
    expect(output).toContain('"callId":"abc@host"');
    expect(output).not.toContain('deadbeef00');
  });
});
