// The token this edge puts in its Record-Route URI (parameter `ert`), and checks again on the Route
// of every in-dialog request. HMAC-SHA256 keyed with the nonce secret over the Call-ID, the caller's
// tag and this edge's identity (advertised host:port), truncated to 128 bits, base64url.
// Either party may send the in-dialog request, so the caller's tag is found in From or in To.

import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const ROUTE_TOKEN_PARAM = 'ert';
const TOKEN_BYTES = 16;
const TOKEN_CHARS = 22; // base64url of 16 bytes, unpadded

export interface RouteTokenKey {
  secret: Buffer | string;
  /** This edge's identity as put in its Record-Route: "host:port". */
  identity: string;
}

const keyObjects = new WeakMap<RouteTokenKey, KeyObject>();

function keyObject(key: RouteTokenKey): KeyObject {
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = createSecretKey(typeof key.secret === 'string' ? Buffer.from(key.secret, 'utf8') : key.secret);
    keyObjects.set(key, k);
  }
  return k;
}

function mac(key: RouteTokenKey, callId: string, callerTag: string): Buffer {
  return createHmac('sha256', keyObject(key))
    .update(`rr1\n${key.identity}\n${callId}\n${callerTag}`)
    .digest()
    .subarray(0, TOKEN_BYTES);
}

export function signRouteToken(key: RouteTokenKey, callId: string, fromTag: string): string {
  return mac(key, callId, fromTag).toString('base64url');
}

/**
 * Which tag the token was signed for: 'from' (the request goes caller → callee), 'to' (callee →
 * caller), or null when the token is not ours for this Call-ID and these tags.
 */
export function routeTokenDirection(
  key: RouteTokenKey,
  token: string,
  callId: string,
  fromTag: string | undefined,
  toTag: string | undefined,
): 'from' | 'to' | null {
  if (token.length !== TOKEN_CHARS) return null;
  const given = Buffer.from(token, 'base64url');
  if (given.length !== TOKEN_BYTES) return null;
  // Each comparison is constant-time; which tag matched (the direction) is not a secret.
  if (fromTag !== undefined && fromTag !== '' && timingSafeEqual(given, mac(key, callId, fromTag))) return 'from';
  if (toTag !== undefined && toTag !== '' && timingSafeEqual(given, mac(key, callId, toTag))) return 'to';
  return null;
}
