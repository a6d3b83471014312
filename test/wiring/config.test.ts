// The protection, replay and shutdown settings added to the process configuration for the wiring.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('wiring settings', () => {
  it('defaults: memory replay guard, 200/s with a burst of 400, 10 failures a minute ban for 10 minutes, 403, 10 s grace', () => {
    const config = loadConfig({});
    expect(config.replay).toBe('memory');
    expect(config.protection).toEqual({
      ratePerSecond: 200,
      burst: 400,
      banThreshold: 10,
      banWindowMs: 60_000,
      banMs: 600_000,
      banUserThreshold: 30,
      banAction: '403',
    });
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(Object.isFrozen(config.protection)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      EDGE_REPLAY: 'REDIS',
      EDGE_RATE_LIMIT_PPS: '0',
      EDGE_RATE_LIMIT_BURST: '50',
      EDGE_BAN_THRESHOLD: '3',
      EDGE_BAN_WINDOW_S: '5',
      EDGE_BAN_DURATION_S: '2',
      EDGE_BAN_USER_THRESHOLD: '0',
      EDGE_BAN_ACTION: 'drop',
      EDGE_SHUTDOWN_GRACE_S: '0',
    });
    expect(config.replay).toBe('redis');
    expect(config.protection).toEqual({
      ratePerSecond: 0,
      burst: 50,
      banThreshold: 3,
      banWindowMs: 5000,
      banMs: 2000,
      banUserThreshold: 0,
      banAction: 'drop',
    });
    expect(config.shutdownGraceMs).toBe(0);
  });

  it.each([
    [{ EDGE_REPLAY: 'redis' }, 'EDGE_REPLAY'],
    [{ EDGE_ROLE: 'edge' }, 'EDGE_ROLE'],
    [{ EDGE_REPLAY: 'disk' }, 'EDGE_REPLAY'],
    [{ EDGE_BAN_THRESHOLD: '0' }, 'EDGE_BAN_THRESHOLD'],
    [{ EDGE_BAN_THRESHOLD: '101' }, 'EDGE_BAN_THRESHOLD'],
    [{ EDGE_BAN_USER_THRESHOLD: '101' }, 'EDGE_BAN_USER_THRESHOLD'],
    [{ EDGE_BAN_ACTION: '404' }, 'EDGE_BAN_ACTION'],
    [{ EDGE_RATE_LIMIT_BURST: '0' }, 'EDGE_RATE_LIMIT_BURST'],
    [{ EDGE_RATE_LIMIT_PPS: '-1' }, 'EDGE_RATE_LIMIT_PPS'],
    [{ EDGE_BAN_WINDOW_S: '0' }, 'EDGE_BAN_WINDOW_S'],
    [{ EDGE_BAN_DURATION_S: '1.5' }, 'EDGE_BAN_DURATION_S'],
    [{ EDGE_SHUTDOWN_GRACE_S: 'soon' }, 'EDGE_SHUTDOWN_GRACE_S'],
  ])('refuses %o naming %s', (env, variable) => {
    expect(configError(env).variable).toBe(variable);
  });

  it('accepts the edge role and the Redis replay guard with REDIS_URL', () => {
    const config = loadConfig({ EDGE_ROLE: 'edge', EDGE_REPLAY: 'redis', REDIS_URL: 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001' });
    expect(config.role).toBe('edge');
    expect(config.replay).toBe('redis');
  });
});
