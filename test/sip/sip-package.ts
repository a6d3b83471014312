// The npm `sip` package (CommonJS, untyped) used as an independent reader in tests.
import { createRequire } from 'node:module';

export interface SipPkgVia { protocol: string; host: string; params: Record<string, string | null> }
export interface SipPkgAddr { uri: string; params: Record<string, string | null> }
export interface SipPkgMessage {
  method?: string;
  uri?: string;
  status?: number;
  content: string;
  headers: Record<string, unknown>;
}

const sip = createRequire(import.meta.url)('sip') as {
  parse(data: Buffer | string): SipPkgMessage | undefined;
};

/** sip.parse, with its exceptions turned into undefined ("cannot parse"). */
export function sipParse(b: Buffer): SipPkgMessage | undefined {
  try {
    return sip.parse(b);
  } catch {
    return undefined;
  }
}
