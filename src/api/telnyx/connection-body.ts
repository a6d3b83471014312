// Validates the JSON body of POST and PATCH /v2/credential_connections. Every problem is reported
// with a JSON pointer; the first one wins. The password is returned separately so that the caller
// can hash it and drop it; it is never stored or echoed.
import type { ConnectionSettings, SettingValue, SettingsObject } from '../../store/connections.ts';
import { isSipUrl } from '../trunking/sip-url.ts';
import { TelnyxError, invalidField, missingField } from './errors.ts';

export interface ConnectionCreateInput {
  connectionName: string;
  userName: string;
  password: string;
  active: boolean;
  sipTarget: string | null;
  settings: ConnectionSettings;
}

export interface ConnectionPatchInput {
  connectionName?: string;
  userName?: string;
  password?: string;
  active?: boolean;
  sipTarget?: string | null;
  /** Settings given in the body, to be merged over the stored ones (nested objects key by key). */
  settings: Partial<ConnectionSettings>;
}

const USER_NAME = /^[A-Za-z0-9]{4,32}$/;
const MAX_NAME = 255;
const MAX_STRING = 1024;
const MAX_ARRAY = 50;
const MAX_KEYS = 50;
const MAX_SETTINGS_JSON = 16 * 1024;
const KEY = /^[A-Za-z0-9_.]{1,64}$/;
/** Keys that would reach Object.prototype machinery if ever assigned naively. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const NESTED = ['inbound', 'outbound', 'rtcp_settings'] as const;

type Check = (value: unknown, pointer: string) => SettingValue;

function oneOf(...allowed: Array<string | null>): Check {
  return (v, p) => {
    if (!allowed.includes(v as string | null)) throw invalidField(p, `Must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`);
    return v as string | null;
  };
}
const bool: Check = (v, p) => {
  if (typeof v !== 'boolean') throw invalidField(p, 'Must be a boolean.');
  return v;
};
function text(max: number, nullable = true): Check {
  return (v, p) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || v.length > max) throw invalidField(p, `Must be a string of at most ${max} characters.`);
    return v;
  };
}
function intRange(min: number, max: number, nullable = true): Check {
  return (v, p) => {
    if (v === null && nullable) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidField(p, `Must be an integer between ${min} and ${max}.`);
    return v;
  };
}
const url: Check = (v, p) => {
  if (v === null || v === '') return v as null | '';
  if (typeof v === 'string' && v.length <= 2048) {
    try {
      const u = new URL(v);
      if (u.protocol === 'https:' || u.protocol === 'http:') return v;
    } catch {
      // fall through
    }
  }
  throw invalidField(p, 'Must be an http or https URL.');
};
const id: Check = (v, p) => {
  if (v === null) return null;
  if (typeof v !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(v)) throw invalidField(p, 'Must be an ID string.');
  return v;
};
const tags: Check = (v, p) => {
  if (!Array.isArray(v) || v.length > MAX_ARRAY || !v.every((t) => typeof t === 'string' && t.length <= 255)) {
    throw invalidField(p, `Must be an array of at most ${MAX_ARRAY} strings.`);
  }
  return v as string[];
};

/** Top-level Telnyx fields kept and returned; anything else in a body is ignored. */
const TOP: Record<string, Check> = {
  anchorsite_override: text(64, false),
  sip_uri_calling_preference: oneOf('disabled', 'unrestricted', 'internal'),
  default_on_hold_comfort_noise_enabled: bool,
  dtmf_type: oneOf('RFC 2833', 'Inband', 'SIP INFO'),
  encode_contact_header_enabled: bool,
  encrypted_media: oneOf('SRTP', null),
  onnet_t38_passthrough_enabled: bool,
  third_party_control_enabled: bool,
  ios_push_credential_id: id,
  android_push_credential_id: id,
  webhook_event_url: url,
  webhook_event_failover_url: url,
  webhook_api_version: oneOf('1', '2', 'texml'),
  webhook_timeout_secs: intRange(0, 30),
  tags,
  noise_suppression: oneOf('inbound', 'outbound', 'both', 'disabled'),
};

/** Checks of known nested keys; other nested keys only need to be plain settings values. */
const NESTED_KNOWN: Record<string, Check> = {
  '/inbound/channel_limit': intRange(1, 100_000),
  '/outbound/channel_limit': intRange(1, 100_000),
  '/outbound/outbound_voice_profile_id': id,
  '/rtcp_settings/capture_enabled': bool,
  '/rtcp_settings/port': oneOf('rtcp-mux', 'rtp+1'),
  '/rtcp_settings/report_frequency_secs': intRange(5, 3600),
};

export const CONNECTION_DEFAULTS: Readonly<Record<string, SettingValue>> = {
  anchorsite_override: 'Latency',
  sip_uri_calling_preference: 'disabled',
  default_on_hold_comfort_noise_enabled: true,
  dtmf_type: 'RFC 2833',
  encode_contact_header_enabled: false,
  encrypted_media: null,
  onnet_t38_passthrough_enabled: false,
  third_party_control_enabled: false,
  ios_push_credential_id: null,
  android_push_credential_id: null,
  webhook_event_url: null,
  webhook_event_failover_url: null,
  webhook_api_version: '1',
  webhook_timeout_secs: null,
  tags: [],
  noise_suppression: 'disabled',
};

function plainValue(v: unknown, p: string): SettingValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalidField(p, 'Must be a finite number.');
    return v;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_STRING) throw invalidField(p, `Must be at most ${MAX_STRING} characters.`);
    return v;
  }
  if (Array.isArray(v) && v.length <= MAX_ARRAY) {
    return v.map((item, i) => {
      if ((typeof item === 'string' && item.length <= MAX_STRING) || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) return item;
      throw invalidField(`${p}/${i}`, 'Must be a string, number or boolean.');
    });
  }
  throw invalidField(p, 'Must be a string, number, boolean, null or an array of those.');
}

function nestedObject(v: unknown, name: string): SettingsObject {
  const p = '/' + name;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidField(p, 'Must be an object.');
  const keys = Object.keys(v);
  if (keys.length > MAX_KEYS) throw invalidField(p, `Must have at most ${MAX_KEYS} keys.`);
  const out: SettingsObject = {};
  for (const key of keys) {
    const kp = `${p}/${key}`;
    if (!KEY.test(key) || RESERVED_KEYS.has(key)) throw invalidField(kp, 'Unsupported key.');
    const value = (v as Record<string, unknown>)[key];
    const known = NESTED_KNOWN[kp];
    out[key] = known ? known(value, kp) : plainValue(value, kp);
  }
  return out;
}

function requireString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw missingField(field);
  if (typeof v !== 'string') throw invalidField('/' + field, 'Must be a string.');
  return v;
}

function checkConnectionName(v: string): string {
  if (v.trim() === '' || v.length > MAX_NAME) throw invalidField('/connection_name', `Must be 1 to ${MAX_NAME} characters.`);
  return v;
}
function checkUserName(v: string): string {
  if (!USER_NAME.test(v)) throw invalidField('/user_name', 'Must be 4 to 32 letters or digits.');
  return v;
}
function checkPassword(v: string): string {
  if (v.length < 8 || v.length > 128) throw invalidField('/password', 'Must be 8 to 128 characters.');
  return v;
}
function checkSipTarget(v: unknown): string | null {
  if (v === null || v === '') return null;
  if (typeof v !== 'string' || !isSipUrl(v, ['sip', 'sips'])) throw invalidField('/sip_target', 'Must be a sip: or sips: URI.');
  return v;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TelnyxError(400, 10015, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function readSettings(body: Record<string, unknown>): Partial<ConnectionSettings> {
  const top: Record<string, SettingValue> = {};
  for (const [field, check] of Object.entries(TOP)) {
    if (body[field] !== undefined) top[field] = check(body[field], '/' + field);
  }
  const out: Partial<ConnectionSettings> = { top };
  for (const name of NESTED) {
    if (body[name] !== undefined) out[name] = nestedObject(body[name], name);
  }
  return out;
}

export function settingsSizeOk(settings: ConnectionSettings): boolean {
  return JSON.stringify(settings).length <= MAX_SETTINGS_JSON;
}

function checkSize(settings: ConnectionSettings): void {
  if (!settingsSizeOk(settings)) throw new TelnyxError(422, 10015, `Connection settings must not exceed ${MAX_SETTINGS_JSON} bytes of JSON.`);
}

export function parseCreateBody(raw: unknown): ConnectionCreateInput {
  const body = asObject(raw);
  const connectionName = checkConnectionName(requireString(body, 'connection_name'));
  const userName = checkUserName(requireString(body, 'user_name'));
  const password = checkPassword(requireString(body, 'password'));
  const active = body.active === undefined ? true : (bool(body.active, '/active') as boolean);
  const sipTarget = body.sip_target === undefined ? null : checkSipTarget(body.sip_target);
  const given = readSettings(body);
  const settings: ConnectionSettings = {
    top: { ...CONNECTION_DEFAULTS, ...given.top },
    inbound: given.inbound ?? {},
    outbound: given.outbound ?? {},
    rtcp_settings: given.rtcp_settings ?? {},
  };
  checkSize(settings);
  return { connectionName, userName, password, active, sipTarget, settings };
}

export function parsePatchBody(raw: unknown): ConnectionPatchInput {
  const body = asObject(raw);
  const out: ConnectionPatchInput = { settings: readSettings(body) };
  if (body.connection_name !== undefined) {
    if (typeof body.connection_name !== 'string') throw invalidField('/connection_name', 'Must be a string.');
    out.connectionName = checkConnectionName(body.connection_name);
  }
  if (body.user_name !== undefined) {
    if (typeof body.user_name !== 'string') throw invalidField('/user_name', 'Must be a string.');
    out.userName = checkUserName(body.user_name);
  }
  if (body.password !== undefined) {
    if (typeof body.password !== 'string') throw invalidField('/password', 'Must be a string.');
    out.password = checkPassword(body.password);
  }
  if (body.active !== undefined) out.active = bool(body.active, '/active') as boolean;
  if (body.sip_target !== undefined) out.sipTarget = checkSipTarget(body.sip_target);
  return out;
}

/** Stored settings with a patch applied: top-level keys replaced, nested objects merged key by key. */
export function mergeSettings(stored: ConnectionSettings, patch: Partial<ConnectionSettings>): ConnectionSettings {
  const merged: ConnectionSettings = {
    top: { ...stored.top, ...patch.top },
    inbound: { ...stored.inbound, ...patch.inbound },
    outbound: { ...stored.outbound, ...patch.outbound },
    rtcp_settings: { ...stored.rtcp_settings, ...patch.rtcp_settings },
  };
  checkSize(merged);
  return merged;
}
