// Relative URIs of v2010 resources.
export const V2010 = '/2010-04-01';

export const accountUri = (ac: string) => `${V2010}/Accounts/${ac}.json`;
export const sipBase = (ac: string) => `${V2010}/Accounts/${ac}/SIP`;
export const domainsUri = (ac: string) => `${sipBase(ac)}/Domains.json`;
export const domainUri = (ac: string, sd: string) => `${sipBase(ac)}/Domains/${sd}.json`;
export const domainPath = (ac: string, sd: string) => `${sipBase(ac)}/Domains/${sd}`;
export const credentialListsUri = (ac: string) => `${sipBase(ac)}/CredentialLists.json`;
export const credentialListUri = (ac: string, cl: string) => `${sipBase(ac)}/CredentialLists/${cl}.json`;
export const credentialsUri = (ac: string, cl: string) => `${sipBase(ac)}/CredentialLists/${cl}/Credentials.json`;
export const credentialUri = (ac: string, cl: string, cr: string) => `${sipBase(ac)}/CredentialLists/${cl}/Credentials/${cr}.json`;
export const ipAclsUri = (ac: string) => `${sipBase(ac)}/IpAccessControlLists.json`;
export const ipAclUri = (ac: string, al: string) => `${sipBase(ac)}/IpAccessControlLists/${al}.json`;
export const ipAddressesUri = (ac: string, al: string) => `${sipBase(ac)}/IpAccessControlLists/${al}/IpAddresses.json`;
export const ipAddressUri = (ac: string, al: string, ip: string) => `${sipBase(ac)}/IpAccessControlLists/${al}/IpAddresses/${ip}.json`;
