// The X-Edge-* headers the PBX receives on an accepted request (SPEC §4.6). Every incoming X-Edge-*
// header is removed before these are added (forward-request.ts), so a caller cannot forge them.

import type { Accept } from './types.ts';

export function authValue(a: Accept['auth']): string {
  if (a.method === 'ip') return 'ip';
  return /^[A-Za-z0-9._~+-]+$/.test(a.user) ? `digest;user=${a.user}` : `digest;user="${a.user.replace(/["\\]/g, '\\$&')}"`;
}

export function edgeHeaders(a: Accept): Array<[string, string]> {
  return [
    ['X-Edge-Account-Sid', a.accountSid],
    ['X-Edge-Target-Sid', a.targetSid],
    ['X-Edge-Auth', authValue(a.auth)],
  ];
}
