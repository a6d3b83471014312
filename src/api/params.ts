// Reads and validates form parameters. Every check runs before any write; the first problem is
// thrown as an ApiError with the caller's resource-specific code where Twilio has one.
import { ApiError, CODES, invalid, missing } from './errors.ts';
import { isSid } from '../store/sid.ts';

export type RawParams = Record<string, unknown>;

const MAX_PARAM_LENGTH = 4096;

export class Params {
  readonly #raw: RawParams;
  constructor(raw: unknown) {
    this.#raw = raw && typeof raw === 'object' ? (raw as RawParams) : {};
  }

  has(name: string): boolean {
    return this.#raw[name] !== undefined;
  }

  /** The value as a string, undefined when absent. Repeated or non-string values are refused. */
  string(name: string, opts: { max?: number; code?: number; required?: boolean; allowEmpty?: boolean } = {}): string | undefined {
    const v = this.#raw[name];
    if (v === undefined) {
      if (opts.required) throw missing(name);
      return undefined;
    }
    if (typeof v !== 'string') throw invalid(name, 'must be a single string value', opts.code);
    if (v.length > Math.min(opts.max ?? MAX_PARAM_LENGTH, MAX_PARAM_LENGTH)) {
      throw invalid(name, `must be at most ${opts.max ?? MAX_PARAM_LENGTH} characters`, opts.code);
    }
    if (v === '' && opts.required && !opts.allowEmpty) throw missing(name);
    // Control characters never belong in these fields and would break logs and SIP headers.
    if (/[\u0000-\u001f\u007f]/.test(v)) throw invalid(name, 'contains control characters', opts.code);
    return v;
  }

  required(name: string, opts: { max?: number; code?: number } = {}): string {
    return this.string(name, { ...opts, required: true })!;
  }

  /** Booleans arrive as "true"/"false" (any case). */
  boolean(name: string): boolean | undefined {
    const v = this.string(name, { max: 5 });
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalid(name, 'must be true or false');
  }

  method(name: string): 'GET' | 'POST' | undefined {
    const v = this.string(name, { max: 4 });
    if (v === undefined) return undefined;
    const upper = v.toUpperCase();
    if (upper === 'GET' || upper === 'POST') return upper;
    throw invalid(name, 'must be GET or POST');
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.string(name, { max: 32 });
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) throw invalid(name, `must be one of ${values.join(', ')}`);
    return v as T;
  }

  /** An absolute URL with one of `schemes`; the empty string clears the field (null). */
  url(name: string, schemes: readonly string[] = ['http:', 'https:']): string | null | undefined {
    const v = this.string(name, { max: 1024 });
    if (v === undefined) return undefined;
    if (v === '') return null;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      throw invalid(name, 'must be an absolute URL');
    }
    if (!schemes.includes(parsed.protocol.toLowerCase())) throw invalid(name, `scheme must be one of ${schemes.join(', ')}`);
    if (/\s/.test(v)) throw invalid(name, 'must not contain whitespace');
    return v;
  }

  sid(name: string, prefix: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.string(name, { max: 34, required: opts.required });
    if (v === undefined) return undefined;
    if (!isSid(v, prefix)) throw invalid(name, `must be a ${prefix} SID`);
    return v;
  }

  integer(name: string, min: number, max: number, code?: number): number | undefined {
    const v = this.string(name, { max: 10, code });
    if (v === undefined) return undefined;
    if (!/^[0-9]+$/.test(v)) throw invalid(name, 'must be an integer', code);
    const n = Number(v);
    if (n < min || n > max) throw invalid(name, `must be between ${min} and ${max}`, code);
    return n;
  }
}

export function friendlyName(p: Params, max: number, code: number, required = false): string | undefined {
  const v = p.string('FriendlyName', { max, code, required });
  if (v !== undefined && required && v.trim() === '') throw new ApiError(400, CODES.missingParameter, 'Missing required parameter FriendlyName in the post body');
  return v;
}
