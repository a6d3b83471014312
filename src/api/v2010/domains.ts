// /2010-04-01/Accounts/{AccountSid}/SIP/Domains[/{Sid}].json
import type { FastifyInstance } from 'fastify';
import type { DomainFields } from '../../store/types.ts';
import type { ApiContext } from '../server.ts';
import { DOMAIN_DEFAULTS } from '../../store/domain-defaults.ts';
import { CODES } from '../errors.ts';
import { Params } from '../params.ts';
import { listEnvelope, pageRequest, parsePaging } from '../paging.ts';
import { validateDomainName } from './domain-name.ts';
import { renderDomain } from './render.ts';
import { domainsUri } from './uris.ts';
import { orNotFound, pathAccount, query, sidParam } from './route-helpers.ts';

const VOICE_URL_SCHEMES = ['http:', 'https:', 'sip:', 'sips:'];

/** Every updatable field present in the body, validated; nothing is written before all pass. */
function readDomainFields(p: Params, suffix: string | undefined, creating: boolean): Partial<DomainFields> {
  const out: Partial<DomainFields> = {};
  const domainName = creating ? p.required('DomainName', { max: 253, code: CODES.domainValidation }) : p.string('DomainName', { max: 253, code: CODES.domainValidation });
  if (domainName !== undefined) out.domainName = validateDomainName(domainName, suffix);
  const fn = p.string('FriendlyName', { max: 64, code: CODES.domainValidation });
  if (fn !== undefined) out.friendlyName = fn === '' ? null : fn;
  const voiceUrl = p.url('VoiceUrl', VOICE_URL_SCHEMES);
  if (voiceUrl !== undefined) out.voiceUrl = voiceUrl;
  const voiceMethod = p.method('VoiceMethod');
  if (voiceMethod) out.voiceMethod = voiceMethod;
  const fallbackUrl = p.url('VoiceFallbackUrl');
  if (fallbackUrl !== undefined) out.voiceFallbackUrl = fallbackUrl;
  const fallbackMethod = p.method('VoiceFallbackMethod');
  if (fallbackMethod) out.voiceFallbackMethod = fallbackMethod;
  const statusUrl = p.url('VoiceStatusCallbackUrl');
  if (statusUrl !== undefined) out.voiceStatusCallbackUrl = statusUrl;
  const statusMethod = p.method('VoiceStatusCallbackMethod');
  if (statusMethod) out.voiceStatusCallbackMethod = statusMethod;
  const reg = p.boolean('SipRegistration');
  if (reg !== undefined) out.sipRegistration = reg;
  const emergency = p.boolean('EmergencyCallingEnabled');
  if (emergency !== undefined) out.emergencyCallingEnabled = emergency;
  const secure = p.boolean('Secure');
  if (secure !== undefined) out.secure = secure;
  if (p.has('ByocTrunkSid')) out.byocTrunkSid = p.string('ByocTrunkSid') === '' ? null : p.sid('ByocTrunkSid', 'BY')!;
  if (p.has('EmergencyCallerSid')) out.emergencyCallerSid = p.string('EmergencyCallerSid') === '' ? null : p.sid('EmergencyCallerSid', 'PN')!;
  return out;
}

export function registerDomains(app: FastifyInstance, ctx: ApiContext): void {
  const { domains } = ctx.store;
  const base = '/2010-04-01/Accounts/:AccountSid/SIP/Domains';

  app.post(`${base}.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const fields = readDomainFields(new Params(req.body), ctx.domainSuffix, true);
    const created = await domains.create(account.sid, { ...DOMAIN_DEFAULTS, ...fields } as DomainFields);
    reply.code(201);
    return renderDomain(created);
  });

  app.get(`${base}.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const paging = parsePaging(query(req));
    const result = await domains.list(account.sid, pageRequest(paging));
    return listEnvelope('domains', domainsUri(account.sid), paging, result, renderDomain);
  });

  app.get(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    return renderDomain(orNotFound(await domains.get(account.sid, sidParam(req, 'Sid', 'SD')), req));
  });

  app.post(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const sid = sidParam(req, 'Sid', 'SD');
    const patch = readDomainFields(new Params(req.body), ctx.domainSuffix, false);
    return renderDomain(orNotFound(await domains.update(account.sid, sid, patch), req));
  });

  app.delete(`${base}/:Sid.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    orNotFound((await domains.delete(account.sid, sidParam(req, 'Sid', 'SD'))) || null, req);
    reply.code(204).send();
  });
}
