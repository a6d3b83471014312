// Small edits on a header list (names compared through the compact-form mapping).

import { matchesLower } from '../sip/chars.ts';
import { headerKey } from '../sip/header-names.ts';
import type { NameAddr, SipHeader } from '../sip/message.ts';
import { splitList } from '../sip/split.ts';

/** "X-Edge-" in any case (every forwarded header is asked: no lowercase copy). */
export function isEdgeHeader(name: string): boolean {
  return name.length > 7 && matchesLower(name, 0, 'x-edge-');
}

/** Text form of a name-addr as carried in Route / Record-Route. */
export function formatNameAddr(na: NameAddr): string {
  let s = `<${na.uri}>`;
  for (const [k, v] of na.params) s += v === null ? `;${k}` : `;${k}=${v}`;
  return s;
}

/** Headers with the first Via value removed (splitting a combined Via line when needed). */
export function withoutTopVia(headers: readonly SipHeader[]): SipHeader[] {
  const out: SipHeader[] = [];
  let done = false;
  for (const h of headers) {
    if (!done && headerKey(h.name) === 'via') {
      done = true;
      const rest = splitList(h.value);
      if (rest.length > 1) out.push({ name: h.name, value: rest.slice(1).join(', ') });
      continue;
    }
    out.push(h);
  }
  return out;
}

/** The realm parameter of a Digest credentials value, or undefined. */
export function credentialsRealm(value: string): string | undefined {
  const m = /(?:^|[\s,])realm\s*=\s*"([^"]*)"/i.exec(value.length > 4096 ? value.slice(0, 4096) : value);
  return m === null ? undefined : m[1];
}
