// Validation of Trunking v1 form parameters (trunks, origination URLs, recording). Everything is
// checked before any write; the first problem wins.
import type { OriginationUrlFields, RecordingMode, RecordingTrim, TrunkFields, TrunkRecording } from '../../store/trunks.ts';
import { Params } from '../params.ts';
import { ApiError } from '../errors.ts';
import { validateDomainName } from '../v2010/domain-name.ts';
import { isSipUrl } from './sip-url.ts';
import { TRUNK_CODES, trunkInvalid } from './errors.ts';

const TRANSFER_MODES = ['disable-all', 'enable-all', 'sip-only'] as const;
const TRANSFER_CALLER_IDS = ['from-transferee', 'from-transferor'] as const;
const RECORDING_MODES: readonly RecordingMode[] = ['do-not-record', 'record-from-ringing', 'record-from-answer', 'record-from-ringing-dual', 'record-from-answer-dual'];
const RECORDING_TRIMS: readonly RecordingTrim[] = ['trim-silence', 'do-not-trim'];
const MAX_FRIENDLY_NAME = 64;

export const TRUNK_DEFAULTS: TrunkFields = {
  domainName: null,
  friendlyName: null,
  disasterRecoveryUrl: null,
  disasterRecoveryMethod: 'POST',
  transferMode: 'disable-all',
  transferCallerId: 'from-transferee',
  secure: false,
  cnamLookupEnabled: false,
  symmetricRtpEnabled: false,
};

export interface DomainRules {
  /** EDGE_TRUNK_DOMAIN_SUFFIX */
  suffix?: string;
  /** Hosts the edge serves otherwise (EDGE_CONNECTIONS_HOST). */
  reserved?: readonly string[];
}

function trunkDomainName(p: Params, rules: DomainRules): string | null | undefined {
  const v = p.string('DomainName', { max: 253, code: TRUNK_CODES.domainName });
  if (v === undefined) return undefined;
  if (v === '') return null;
  let name: string;
  try {
    name = validateDomainName(v, rules.suffix).toLowerCase();
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(400, TRUNK_CODES.domainName, err.message);
    throw err;
  }
  if (rules.reserved?.some((h) => h.toLowerCase() === name)) {
    throw new ApiError(400, TRUNK_CODES.domainNameTaken, 'DomainName is reserved by this service');
  }
  return name;
}

/** The fields present in the body (create and update share the parameter set). */
export function trunkFieldsFrom(body: unknown, rules: DomainRules): Partial<TrunkFields> {
  const p = new Params(body);
  const out: Partial<TrunkFields> = {};
  const friendlyName = p.string('FriendlyName', { max: MAX_FRIENDLY_NAME, code: TRUNK_CODES.friendlyName });
  if (friendlyName !== undefined) out.friendlyName = friendlyName;
  const domainName = trunkDomainName(p, rules);
  if (domainName !== undefined) out.domainName = domainName;
  const drUrl = p.url('DisasterRecoveryUrl');
  if (drUrl !== undefined) out.disasterRecoveryUrl = drUrl;
  const drMethod = p.method('DisasterRecoveryMethod');
  if (drMethod !== undefined) out.disasterRecoveryMethod = drMethod;
  const transferMode = p.oneOf('TransferMode', TRANSFER_MODES);
  if (transferMode !== undefined) out.transferMode = transferMode;
  const secure = p.boolean('Secure');
  if (secure !== undefined) out.secure = secure;
  const cnam = p.boolean('CnamLookupEnabled');
  if (cnam !== undefined) out.cnamLookupEnabled = cnam;
  const callerId = p.oneOf('TransferCallerId', TRANSFER_CALLER_IDS);
  if (callerId !== undefined) out.transferCallerId = callerId;
  return out;
}

export function recordingFrom(body: unknown): Partial<TrunkRecording> {
  const p = new Params(body);
  const out: Partial<TrunkRecording> = {};
  const mode = p.oneOf('Mode', RECORDING_MODES);
  if (mode !== undefined) out.mode = mode;
  const trim = p.oneOf('Trim', RECORDING_TRIMS);
  if (trim !== undefined) out.trim = trim;
  return out;
}

/** Origination URL parameters; `required` on create (all five are required there). */
export function originationUrlFrom(body: unknown, required: boolean): Partial<OriginationUrlFields> {
  const p = new Params(body);
  const code = TRUNK_CODES.originationUrl;
  const out: Partial<OriginationUrlFields> = {};
  for (const name of ['Weight', 'Priority', 'Enabled', 'FriendlyName', 'SipUrl']) {
    if (required && !p.has(name)) p.required(name);
  }
  const weight = p.integer('Weight', 1, 65535, code);
  if (weight !== undefined) out.weight = weight;
  const priority = p.integer('Priority', 0, 65535, code);
  if (priority !== undefined) out.priority = priority;
  const enabled = p.boolean('Enabled');
  if (enabled !== undefined) out.enabled = enabled;
  const friendlyName = p.string('FriendlyName', { max: MAX_FRIENDLY_NAME, code, required });
  if (friendlyName !== undefined) out.friendlyName = friendlyName;
  const sipUrl = p.string('SipUrl', { max: 255, code, required });
  if (sipUrl !== undefined) {
    if (!isSipUrl(sipUrl, ['sip'])) throw trunkInvalid(code, 'SipUrl', 'must be a sip: URI');
    out.sipUrl = sipUrl;
  }
  return out;
}
