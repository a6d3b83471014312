// Trunking error codes (SPEC §3: 21244-21249) and the mapping of repository errors on trunk paths.
// Twilio documents 21247 (trunk dependencies) and 21248 (domain name taken); the others of the
// range are assigned here to the remaining trunk validation failures.
import { StoreError } from '../../store/errors.ts';
import { ApiError, CODES } from '../errors.ts';

export const TRUNK_CODES = {
  friendlyName: 21244,
  domainName: 21245,
  maxTrunks: 21246,
  dependency: 21247,
  domainNameTaken: 21248,
  originationUrl: 21249,
} as const;

export function trunkInvalid(code: number, name: string, why: string): ApiError {
  return new ApiError(400, code, `Invalid parameter ${name}: ${why}`);
}

/** Translates the StoreErrors trunk repositories raise; others are rethrown unchanged. */
export function fromTrunkStoreError(err: unknown, path: string): unknown {
  if (!(err instanceof StoreError)) return err;
  if (err.kind === 'limit' && err.subject === 'trunks') {
    return new ApiError(400, TRUNK_CODES.maxTrunks, 'Maximum number of trunks (100) reached for this account');
  }
  if (err.kind === 'limit' && err.subject === 'origination_urls') {
    return new ApiError(400, TRUNK_CODES.dependency, 'Maximum number of origination URLs reached for this trunk');
  }
  if (err.kind === 'duplicate' && err.subject === 'domain_name') {
    return new ApiError(400, TRUNK_CODES.domainNameTaken, 'DomainName is already in use');
  }
  if (err.kind === 'duplicate' && err.subject === 'trunk_list') {
    return new ApiError(400, TRUNK_CODES.dependency, 'The list is already associated with this trunk');
  }
  if (err.kind === 'not_found' && err.subject === 'page_token') {
    return new ApiError(400, CODES.invalidPageToken, 'Invalid PageToken');
  }
  if (err.kind === 'not_found') return new ApiError(404, CODES.notFound, `The requested resource ${path} was not found`);
  return err;
}

/** Runs `work`, translating repository errors for trunk paths. */
export async function trunkCall<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw fromTrunkStoreError(err, path);
  }
}
