// The values a SIP domain takes for every field its creator leaves out (Twilio's v2010 defaults).
import type { DomainFields } from './types.ts';

export const DOMAIN_DEFAULTS: Readonly<Omit<DomainFields, 'domainName'>> = {
  friendlyName: null,
  voiceUrl: null,
  voiceMethod: 'POST',
  voiceFallbackUrl: null,
  voiceFallbackMethod: 'POST',
  voiceStatusCallbackUrl: null,
  voiceStatusCallbackMethod: 'POST',
  sipRegistration: false,
  emergencyCallingEnabled: false,
  secure: false,
  byocTrunkSid: null,
  emergencyCallerSid: null,
};
