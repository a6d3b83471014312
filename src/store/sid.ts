// SIDs: two-letter prefix + 32 lowercase hex digits (128 random bits).
import { randomBytes } from 'node:crypto';

export type SidPrefix = 'AC' | 'SD' | 'CL' | 'CR' | 'AL' | 'IP' | 'TK' | 'OU' | 'PA';

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** True when `value` is `prefix` followed by 32 hex digits (any case, as Twilio's pattern allows). */
export function isSid(value: string, prefix: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && HEX32.test(value.slice(2));
}
