// Maps repository errors to Twilio codes and statuses.
import { StoreError } from '../store/errors.ts';
import { ApiError, CODES } from './errors.ts';

const LIMITS: Record<string, [number, string]> = {
  domains: [CODES.maxDomains, 'Maximum number of SIP domains (100) reached for this account'],
  credential_lists: [CODES.credentialListValidation, 'Maximum number of credential lists (100) reached for this account'],
  credentials: [CODES.maxCredentials, 'Maximum number of credentials (1000) reached for this credential list'],
  ip_acls: [CODES.ipAclValidation, 'Maximum number of IP access control lists (1000) reached for this account'],
  ip_addresses: [CODES.maxIpAddresses, 'Maximum number of IP addresses (100) reached for this IP access control list'],
};

export function fromStoreError(err: StoreError, path: string): ApiError {
  switch (err.kind) {
    case 'limit': {
      const [code, message] = LIMITS[err.subject] ?? [CODES.invalidParameter, 'Limit reached'];
      return new ApiError(400, code, message);
    }
    case 'duplicate':
      if (err.subject === 'domain_name') return new ApiError(400, CODES.domainNameTaken, 'DomainName is already in use');
      if (err.subject === 'username') return new ApiError(400, CODES.usernameTaken, 'Username already exists in this credential list');
      if (err.subject === 'mapping') return new ApiError(400, CODES.invalidParameter, 'The list is already mapped to this domain');
      return new ApiError(400, CODES.invalidParameter, 'Resource already exists');
    case 'in_use':
      if (err.subject === 'credential_list') {
        return new ApiError(400, CODES.credentialListInUse, 'Credential list is mapped to a domain or trunk and cannot be deleted');
      }
      return new ApiError(400, CODES.ipAclInUse, 'IP access control list is mapped to a domain or trunk and cannot be deleted');
    case 'not_found':
      return new ApiError(404, CODES.notFound, `The requested resource ${path} was not found`);
  }
}
