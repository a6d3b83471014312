// domain_name validation: a DNS host name (letters, digits, hyphens; labels 1..63, total ≤253),
// at least two labels, not an IP literal, and ending with EDGE_DOMAIN_SUFFIX when one is set.
import { ApiError, CODES } from '../errors.ts';
import { canonicalIpv4 } from '../ip-address.ts';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function validateDomainName(name: string, suffix: string | undefined): string {
  const fail = (why: string) => new ApiError(400, CODES.domainValidation, `DomainName ${why}`);
  if (name.length === 0 || name.length > 253) throw fail('must be 1 to 253 characters');
  const labels = name.split('.');
  if (labels.length < 2) throw fail('must have at least two labels');
  for (const l of labels) if (!LABEL.test(l)) throw fail('is not a valid host name');
  if (canonicalIpv4(name)) throw fail('must not be an IP address');
  if (suffix && !name.toLowerCase().endsWith(suffix.toLowerCase())) throw fail(`must end with ${suffix}`);
  return name;
}
