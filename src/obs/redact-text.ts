// Censors credentials inside free text that is about to be logged: the value of every
// Authorization / Proxy-Authorization header line (folded continuation lines included) of a raw
// SIP or HTTP message. Field-name redaction (logger.ts) cannot see inside such strings.
// Logging only, never the SIP hot path.

const CREDENTIAL_LINE = /^((?:proxy-)?authorization[ \t]*:)[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/gim;

export function redactCredentialLines(text: string): string {
  // Cheap pre-check so ordinary log strings are returned untouched.
  if (!text.includes('uthorization') && !text.includes('UTHORIZATION')) return text;
  return text.replace(CREDENTIAL_LINE, '$1 [Redacted]');
}
