// Fast classification of the header names the parser interprets at parse time, straight from
// the decoded header block (no lowercase copy of every name).

import { matchesLower } from './chars.ts';

export const H_OTHER = 0;
export const H_VIA = 1;
export const H_FROM = 2;
export const H_TO = 3;
export const H_CALL_ID = 4;
export const H_CSEQ = 5;
export const H_MAX_FORWARDS = 6;
export const H_CONTENT_LENGTH = 7;
export const H_ROUTE = 8;
export const H_PROXY_REQUIRE = 9;
export const H_AUTHORIZATION = 10;
export const H_PROXY_AUTHORIZATION = 11;
export const H_EXPIRES = 12;

/** Which eager header the token name s[a..b) is (compact forms included), or H_OTHER. */
export function eagerHeader(s: string, a: number, b: number): number {
  const c0 = s.charCodeAt(a);
  if ((c0 | 0x20) < 0x61 || (c0 | 0x20) > 0x7a) return H_OTHER;
  const first = c0 | 0x20;
  switch (b - a) {
    case 1:
      switch (first) {
        case 0x76: return H_VIA; // v
        case 0x66: return H_FROM; // f
        case 0x74: return H_TO; // t
        case 0x69: return H_CALL_ID; // i
        case 0x6c: return H_CONTENT_LENGTH; // l
        default: return H_OTHER;
      }
    case 2: return first === 0x74 && matchesLower(s, a, 'to') ? H_TO : H_OTHER;
    case 3: return first === 0x76 && matchesLower(s, a, 'via') ? H_VIA : H_OTHER;
    case 4:
      if (first === 0x66) return matchesLower(s, a, 'from') ? H_FROM : H_OTHER;
      return first === 0x63 && matchesLower(s, a, 'cseq') ? H_CSEQ : H_OTHER;
    case 5: return first === 0x72 && matchesLower(s, a, 'route') ? H_ROUTE : H_OTHER;
    case 7:
      if (first === 0x63) return matchesLower(s, a, 'call-id') ? H_CALL_ID : H_OTHER;
      return first === 0x65 && matchesLower(s, a, 'expires') ? H_EXPIRES : H_OTHER;
    case 12: return first === 0x6d && matchesLower(s, a, 'max-forwards') ? H_MAX_FORWARDS : H_OTHER;
    case 13:
      if (first === 0x61) return matchesLower(s, a, 'authorization') ? H_AUTHORIZATION : H_OTHER;
      return first === 0x70 && matchesLower(s, a, 'proxy-require') ? H_PROXY_REQUIRE : H_OTHER;
    case 14: return first === 0x63 && matchesLower(s, a, 'content-length') ? H_CONTENT_LENGTH : H_OTHER;
    case 19:
      return first === 0x70 && matchesLower(s, a, 'proxy-authorization') ? H_PROXY_AUTHORIZATION : H_OTHER;
    default: return H_OTHER;
  }
}
