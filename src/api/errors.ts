// Twilio-style API errors: {"code","message","more_info","status"}, and the codes this API uses.
// Codes follow Twilio's error dictionary where Twilio has one for the case (SPEC §3).
export const CODES = {
  missingParameter: 20001,
  authenticate: 20003,
  forbidden: 20403,
  notFound: 20404,
  invalidParameter: 20422,
  bodyTooLarge: 20413,
  internal: 20500,
  unavailable: 20503,
  maxDomains: 21230,
  domainValidation: 21231,
  domainNameTaken: 21232,
  ipAclValidation: 21235,
  ipAclInUse: 21236,
  ipAddressValidation: 21237,
  maxIpAddresses: 21238,
  credentialListValidation: 21239,
  credentialValidation: 21240,
  credentialListInUse: 21241,
  maxCredentials: 21242,
  usernameTaken: 21243,
  invalidPageToken: 21481,
} as const;

export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function errorBody(err: ApiError): TwilioErrorBody {
  return { code: err.code, message: err.message, more_info: `https://www.twilio.com/docs/errors/${err.code}`, status: err.status };
}

export function notFound(path: string): ApiError {
  return new ApiError(404, CODES.notFound, `The requested resource ${path} was not found`);
}

export function missing(name: string): ApiError {
  return new ApiError(400, CODES.missingParameter, `Missing required parameter ${name} in the post body`);
}

export function invalid(name: string, why: string, code: number = CODES.invalidParameter): ApiError {
  return new ApiError(400, code, `Invalid parameter ${name}: ${why}`);
}
