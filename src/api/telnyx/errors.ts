// Telnyx v2 error bodies: {"errors":[{code,title,detail,source}]}. Codes as Telnyx documents them:
// 10004 missing parameter, 10005 not found, 10009 authentication, 10015 invalid value.
export interface TelnyxErrorSource {
  /** JSON pointer into the request body, e.g. "/user_name". */
  pointer?: string;
  /** Query parameter name, e.g. "page[size]". */
  parameter?: string;
}

const TITLES: Record<number, string> = {
  10004: 'Missing required parameter',
  10005: 'Resource not found',
  10007: 'Unexpected error',
  10009: 'Authentication failed',
  10015: 'Invalid value',
  10038: 'Feature not permitted',
};

export class TelnyxError extends Error {
  readonly status: number;
  readonly code: number;
  readonly title: string;
  readonly detail: string;
  readonly source: TelnyxErrorSource | undefined;
  constructor(status: number, code: number, detail: string, source?: TelnyxErrorSource) {
    super(detail);
    this.name = 'TelnyxError';
    this.status = status;
    this.code = code;
    this.title = TITLES[code] ?? 'Error';
    this.detail = detail;
    this.source = source;
  }

  body(): { errors: Array<{ code: string; title: string; detail: string; source?: TelnyxErrorSource }> } {
    const entry: { code: string; title: string; detail: string; source?: TelnyxErrorSource } = {
      code: String(this.code),
      title: this.title,
      detail: this.detail,
    };
    if (this.source) entry.source = this.source;
    return { errors: [entry] };
  }
}

export function missingField(field: string): TelnyxError {
  return new TelnyxError(422, 10004, `The '${field}' parameter is required.`, { pointer: '/' + field });
}

export function invalidField(pointer: string, detail: string): TelnyxError {
  return new TelnyxError(422, 10015, detail, { pointer });
}

export function invalidParameter(parameter: string, detail: string): TelnyxError {
  return new TelnyxError(422, 10015, detail, { parameter });
}

export function notFound(detail = 'The requested resource or URL could not be found.'): TelnyxError {
  return new TelnyxError(404, 10005, detail);
}

export function authFailed(): TelnyxError {
  return new TelnyxError(401, 10009, 'The API key is missing, malformed or not valid.');
}
