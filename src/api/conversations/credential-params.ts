// Validation of Conversations v1 Credential form parameters. Secrets (Certificate, PrivateKey,
// ApiKey, Secret) are read here and handed to the repository, which seals them; they may hold
// PEM text, so line breaks are allowed, other control characters are not.
import type { PushCredentialFields, PushSecrets, PushType } from '../../store/push-credentials.ts';
import { Params } from '../params.ts';
import { invalid, missing } from '../errors.ts';

const TYPES: readonly PushType[] = ['apn', 'gcm', 'fcm'];
const MAX_SECRET = 16 * 1024;
const SECRET_PARAMS: ReadonlyArray<[string, keyof PushSecrets]> = [
  ['Certificate', 'certificate'],
  ['PrivateKey', 'privateKey'],
  ['ApiKey', 'apiKey'],
  ['Secret', 'secret'],
];

function pushType(p: Params, required: boolean): PushType | undefined {
  const v = p.string('Type', { max: 8, required });
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (!(TYPES as readonly string[]).includes(lower)) throw invalid('Type', `must be one of ${TYPES.join(', ')}`);
  return lower as PushType;
}

export function secretsFrom(body: unknown): PushSecrets {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const out: PushSecrets = {};
  for (const [name, field] of SECRET_PARAMS) {
    const v = raw[name];
    if (v === undefined) continue;
    // Messages name the parameter only: a secret's value never appears in an error.
    if (typeof v !== 'string') throw invalid(name, 'must be a single string value');
    if (v.length === 0 || v.length > MAX_SECRET) throw invalid(name, `must be 1 to ${MAX_SECRET} characters`);
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw invalid(name, 'contains control characters');
    out[field] = v;
  }
  return out;
}

export function createFieldsFrom(body: unknown): PushCredentialFields {
  const p = new Params(body);
  const type = pushType(p, true);
  if (type === undefined) throw missing('Type');
  const friendlyName = p.string('FriendlyName', { max: 64 }) ?? null;
  const sandbox = p.boolean('Sandbox') ?? false;
  return { type, friendlyName, sandbox };
}

export function updateFieldsFrom(body: unknown): Partial<PushCredentialFields> {
  const p = new Params(body);
  const out: Partial<PushCredentialFields> = {};
  const type = pushType(p, false);
  if (type !== undefined) out.type = type;
  const friendlyName = p.string('FriendlyName', { max: 64 });
  if (friendlyName !== undefined) out.friendlyName = friendlyName;
  const sandbox = p.boolean('Sandbox');
  if (sandbox !== undefined) out.sandbox = sandbox;
  return out;
}
