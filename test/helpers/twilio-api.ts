// Provisioning through the running process's Twilio-compatible REST API (fetch, form bodies, HTTP
// Basic auth), for end-to-end tests.

export const TEST_ACCOUNT_SID = 'AC' + 'e2e0'.repeat(8);
export const TEST_AUTH_TOKEN = 'e2e-auth-token-0123456789abcdef';

/** Environment for a process whose bootstrap account is the test account. */
export const TEST_ACCOUNT_ENV = { EDGE_ACCOUNT_SID: TEST_ACCOUNT_SID, EDGE_AUTH_TOKEN: TEST_AUTH_TOKEN };

type Json = Record<string, unknown>;

export class TwilioApi {
  readonly base: string;
  readonly accountSid: string;
  readonly #auth: string;

  constructor(port: number, accountSid = TEST_ACCOUNT_SID, authToken = TEST_AUTH_TOKEN) {
    this.base = `http://127.0.0.1:${port}`;
    this.accountSid = accountSid;
    this.#auth = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  }

  /** The same server acting as another account. */
  as(accountSid: string, authToken: string): TwilioApi {
    return new TwilioApi(Number(new URL(this.base).port), accountSid, authToken);
  }

  async request(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: Json }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        authorization: this.#auth,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }

  /** POST that must succeed (200/201); returns the body. */
  async post(path: string, form: Record<string, string>): Promise<Json> {
    const { status, body } = await this.request('POST', path, form);
    if (status !== 200 && status !== 201) throw new Error(`POST ${path} → ${status} ${JSON.stringify(body)}`);
    return body;
  }

  async remove(path: string): Promise<void> {
    const { status, body } = await this.request('DELETE', path);
    if (status !== 204) throw new Error(`DELETE ${path} → ${status} ${JSON.stringify(body)}`);
  }

  sip(path: string): string {
    return `/2010-04-01/Accounts/${this.accountSid}/SIP/${path}`;
  }

  async createDomain(domainName: string, voiceUrl?: string): Promise<string> {
    const form: Record<string, string> = { DomainName: domainName, FriendlyName: domainName };
    if (voiceUrl !== undefined) form.VoiceUrl = voiceUrl;
    return (await this.post(this.sip('Domains.json'), form)).sid as string;
  }

  async createCredentialList(name: string): Promise<string> {
    return (await this.post(this.sip('CredentialLists.json'), { FriendlyName: name })).sid as string;
  }

  async addCredential(listSid: string, username: string, password: string): Promise<string> {
    return (await this.post(this.sip(`CredentialLists/${listSid}/Credentials.json`), { Username: username, Password: password })).sid as string;
  }

  removeCredential(listSid: string, credentialSid: string): Promise<void> {
    return this.remove(this.sip(`CredentialLists/${listSid}/Credentials/${credentialSid}.json`));
  }

  async createAcl(name: string): Promise<string> {
    return (await this.post(this.sip('IpAccessControlLists.json'), { FriendlyName: name })).sid as string;
  }

  async addAddress(aclSid: string, ip: string, prefix?: number): Promise<string> {
    const form: Record<string, string> = { FriendlyName: ip, IpAddress: ip };
    if (prefix !== undefined) form.CidrPrefixLength = String(prefix);
    return (await this.post(this.sip(`IpAccessControlLists/${aclSid}/IpAddresses.json`), form)).sid as string;
  }

  async mapCredentials(domainSid: string, listSid: string): Promise<void> {
    await this.post(this.sip(`Domains/${domainSid}/Auth/Calls/CredentialListMappings.json`), { CredentialListSid: listSid });
  }

  async mapAcl(domainSid: string, aclSid: string): Promise<void> {
    await this.post(this.sip(`Domains/${domainSid}/Auth/Calls/IpAccessControlListMappings.json`), { IpAccessControlListSid: aclSid });
  }

  /** A subaccount of this account: its SID and auth token. */
  async createSubaccount(name: string): Promise<{ sid: string; token: string }> {
    const body = await this.post('/2010-04-01/Accounts.json', { FriendlyName: name });
    return { sid: body.sid as string, token: body.auth_token as string };
  }

  async setAccountStatus(accountSid: string, status: 'active' | 'suspended' | 'closed'): Promise<void> {
    await this.post(`/2010-04-01/Accounts/${accountSid}.json`, { Status: status });
  }

  async text(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(this.base + path);
    return { status: res.status, text: await res.text() };
  }
}
