import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseHostPort } from '../../src/config.ts';

describe('parseHostPort', () => {
  it.each([
    ['0.0.0.0:5060', { host: '0.0.0.0', port: 5060, family: 4 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0, family: 4 }],
    ['[::]:5060', { host: '::', port: 5060, family: 6 }],
    ['[2001:db8::1]:65535', { host: '2001:db8::1', port: 65535, family: 6 }],
  ])('reads %s', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });

  it.each(['5060', 'localhost:5060', '::1:5060', '[::1]5060', '[::1]:', '1.2.3.4:65536', '1.2.3.4:-1', '[1.2.3.4]:5060', '1.2.3:5060', '1.2.3.4:50 60'])(
    'refuses %j',
    (text) => {
      expect(parseHostPort(text)).toBeNull();
    },
  );
});

describe('loadConfig', () => {
  it('applies the defaults of SPEC §1 and freezes the result', () => {
    const config = loadConfig({});
    expect(config.sipListen).toEqual({ host: '0.0.0.0', port: 5060, family: 4 });
    expect(config.httpListen).toEqual({ host: '0.0.0.0', port: 8080, family: 4 });
    expect(config.dataDir).toBe('./data');
    expect(config.role).toBe('all');
    expect(config.workers).toBe(1);
    expect(config.realm).toBe('sip-edge');
    expect(config.digestAlgorithms).toEqual(['MD5']);
    expect(config.nonceTtlS).toBe(300);
    expect(config.nonceSecret.length).toBe(32);
    expect(config.nonceSecretGenerated).toBe(true);
    expect(config.logLevel).toBe('info');
    expect(config.redisUrl).toBeUndefined();
    expect(config.secretKey).toBeUndefined();
    expect(config.sipAdvertisedHost).not.toMatch(/^127\./);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.sipListen)).toBe(true);
    expect(Object.isFrozen(config.transport)).toBe(true);
    expect(() => {
      (config as { workers: number }).workers = 3;
    }).toThrow();
  });

  it('gives each process its own random nonce secret when none is set', () => {
    expect(loadConfig({}).nonceSecret.equals(loadConfig({}).nonceSecret)).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      SIP_LISTEN: '[::]:5070',
      SIP_ADVERTISED_HOST: 'edge1.example.com',
      HTTP_LISTEN: '127.0.0.1:9090',
      PUBLIC_URL: 'https://api.example.com/',
      DATA_DIR: '/var/lib/edge',
      REDIS_URL: 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000',
      EDGE_ROLE: 'edge',
      EDGE_WORKERS: '4',
      EDGE_REALM: 'example.com',
      EDGE_DIGEST_ALGORITHMS: 'sha-256, MD5,SHA-512-256',
      EDGE_NONCE_SECRET: 'a-shared-secret-of-enough-length',
      EDGE_NONCE_TTL_S: '60',
      EDGE_SECRET_KEY: 'ab'.repeat(32),
      EDGE_ACCOUNT_SID: 'AC' + '0123456789abcdef'.repeat(2),
      EDGE_AUTH_TOKEN: 'f'.repeat(32),
      EDGE_DOMAIN_SUFFIX: '.sip.example.com',
      EDGE_TRUNK_DOMAIN_SUFFIX: '.pstn.example.com',
      EDGE_CONNECTIONS_HOST: 'SIP.Example.com',
      LOG_LEVEL: 'debug',
      SIP_TCP_IDLE_TIMEOUT_S: '30',
      SIP_TCP_MAX_CONNECTIONS_PER_SOURCE: '10',
    });
    expect(config.sipListen).toEqual({ host: '::', port: 5070, family: 6 });
    expect(config.sipAdvertisedHost).toBe('edge1.example.com');
    expect(config.httpListen.port).toBe(9090);
    expect(config.publicUrl).toBe('https://api.example.com');
    expect(config.dataDir).toBe('/var/lib/edge');
    expect(config.redisUrl).toBe('redis+cluster://10.0.0.1:7000,10.0.0.2:7000');
    expect(config.role).toBe('edge');
    expect(config.workers).toBe(4);
    expect(config.realm).toBe('example.com');
    expect(config.digestAlgorithms).toEqual(['SHA-256', 'MD5', 'SHA-512-256']);
    expect(config.nonceSecret.toString()).toBe('a-shared-secret-of-enough-length');
    expect(config.nonceSecretGenerated).toBe(false);
    expect(config.nonceTtlS).toBe(60);
    expect(config.secretKey?.length).toBe(32);
    expect(config.accountSid).toBe('AC0123456789abcdef0123456789abcdef');
    expect(config.domainSuffix).toBe('.sip.example.com');
    expect(config.connectionsHost).toBe('sip.example.com');
    expect(config.logLevel).toBe('debug');
    expect(config.transport.idleTimeoutMs).toBe(30_000);
    expect(config.transport.maxConnectionsPerSource).toBe(10);
  });

  it('advertises a specific listen address itself', () => {
    expect(loadConfig({ SIP_LISTEN: '127.0.0.1:5060' }).sipAdvertisedHost).toBe('127.0.0.1');
  });

  it.each([
    ['SIP_LISTEN', 'localhost:5060'],
    ['SIP_LISTEN', '0.0.0.0'],
    ['HTTP_LISTEN', '[::1]'],
    ['EDGE_ROLE', 'proxy'],
    ['EDGE_WORKERS', '0'],
    ['EDGE_WORKERS', 'two'],
    ['EDGE_DIGEST_ALGORITHMS', 'MD5,SHA-1'],
    ['EDGE_NONCE_TTL_S', '-5'],
    ['EDGE_SECRET_KEY', 'short'],
    ['EDGE_ACCOUNT_SID', 'AC123'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'http://x'],
    ['PUBLIC_URL', 'not a url'],
  ])('fails fast on %s=%j with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.startsWith(name + ':')).toBe(true);
    expect(message).not.toContain('\n');
    expect((error as ConfigError).variable).toBe(name);
  });

  it('does not echo a bad secret in its error', () => {
    expect(() => loadConfig({ EDGE_SECRET_KEY: 'hunter2-secret' })).toThrow(/^EDGE_SECRET_KEY: /);
    try {
      loadConfig({ EDGE_SECRET_KEY: 'hunter2-secret' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
