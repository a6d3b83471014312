// Validation of credential connection bodies: required fields, defaults, nested settings, merge.
import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS, mergeSettings, parseCreateBody, parsePatchBody } from '../../src/api/telnyx/connection-body.ts';
import { TelnyxError } from '../../src/api/telnyx/errors.ts';

const BASE = { connection_name: 'Office', user_name: 'office1', password: 'password1' };

function pointerOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (e) {
    if (e instanceof TelnyxError) return e.source?.pointer ?? `status ${e.status}`;
    throw e;
  }
  return undefined;
}

describe('parseCreateBody', () => {
  it('applies Telnyx defaults, keeps known top-level fields and ignores unknown ones', () => {
    const c = parseCreateBody({ ...BASE, dtmf_type: 'Inband', webhook_event_url: 'https://hooks.example.com/x', favourite_colour: 'blue' });
    expect(c).toMatchObject({ connectionName: 'Office', userName: 'office1', password: 'password1', active: true, sipTarget: null });
    expect(c.settings.top).toEqual({ ...CONNECTION_DEFAULTS, dtmf_type: 'Inband', webhook_event_url: 'https://hooks.example.com/x' });
    expect(c.settings).toMatchObject({ inbound: {}, outbound: {}, rtcp_settings: {} });
  });

  it('reports the first missing field as 10004 with its pointer', () => {
    expect(pointerOf(() => parseCreateBody({}))).toBe('/connection_name');
    expect(pointerOf(() => parseCreateBody({ connection_name: 'x', password: 'password1' }))).toBe('/user_name');
    expect(pointerOf(() => parseCreateBody({ ...BASE, password: '' }))).toBe('/password');
  });

  it('checks nested values and refuses reserved or odd keys', () => {
    expect(pointerOf(() => parseCreateBody({ ...BASE, outbound: { channel_limit: 1.5 } }))).toBe('/outbound/channel_limit');
    expect(pointerOf(() => parseCreateBody({ ...BASE, rtcp_settings: { port: 'any' } }))).toBe('/rtcp_settings/port');
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound: JSON.parse('{"__proto__": {"x": 1}}') }))).toBe('/inbound/__proto__');
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound: { 'bad key': 1 } }))).toBe('/inbound/bad key');
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound: { deep: { x: 1 } } }))).toBe('/inbound/deep');
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound: { list: [1, { x: 1 }] } }))).toBe('/inbound/list/1');
    expect(pointerOf(() => parseCreateBody({ ...BASE, tags: 'one' }))).toBe('/tags');
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound: { big: 'x'.repeat(1025) } }))).toBe('/inbound/big');
    expect(pointerOf(() => parseCreateBody([BASE]))).toBe('status 400');
  });

  it('caps the size of all settings together', () => {
    const inbound: Record<string, string> = {};
    for (let i = 0; i < 20; i++) inbound[`k${i}`] = 'v'.repeat(1000);
    expect(pointerOf(() => parseCreateBody({ ...BASE, inbound }))).toBe('status 422');
  });
});

describe('parsePatchBody and mergeSettings', () => {
  it('takes only what is given and merges nested objects key by key', () => {
    const p = parsePatchBody({ active: false, outbound: { channel_limit: 4 } });
    expect(p).toEqual({ active: false, settings: { top: {}, outbound: { channel_limit: 4 } } });
    const stored = { top: { dtmf_type: 'RFC 2833' }, inbound: { a: 1 }, outbound: { channel_limit: 1, localization: 'US' }, rtcp_settings: {} };
    expect(mergeSettings(stored, p.settings)).toEqual({ ...stored, outbound: { channel_limit: 4, localization: 'US' } });
  });

  it('validates the fields it is given', () => {
    expect(pointerOf(() => parsePatchBody({ user_name: 'a' }))).toBe('/user_name');
    expect(pointerOf(() => parsePatchBody({ sip_target: 'tel:+1555' }))).toBe('/sip_target');
    expect(parsePatchBody({ sip_target: null }).sipTarget).toBeNull();
  });
});
