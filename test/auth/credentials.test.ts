import { describe, expect, it } from 'vitest';
import { MAX_CREDENTIALS_LENGTH, parseCredentials, parseCredentialsText, selectCredentials } from '../../src/auth/credentials.ts';
import { seededRandom } from '../helpers/prng.ts';

const RESPONSE = '6629fae49393a05397450978507c4ef1';
const base =
  'Digest username="alice", realm="sip-edge", nonce="abc", uri="sip:192.0.2.1:5060", ' +
  `response="${RESPONSE}", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001`;

function err(value: string): string | null {
  const r = parseCredentials(value);
  return r.ok ? null : r.error;
}

describe('parseCredentials', () => {
  it('takes a response of hex digits in any case, and nothing else, at every position', () => {
    for (let k = 0; k < RESPONSE.length; k++) {
      for (let c = 0x20; c < 0x7f; c++) {
        if (c === 0x22 || c === 0x5c) continue;
        const ch = String.fromCharCode(c);
        const value = base.replace(RESPONSE, RESPONSE.slice(0, k) + ch + RESPONSE.slice(k + 1));
        const hex = /[0-9a-fA-F]/.test(ch);
        expect(err(value), `${JSON.stringify(ch)} at ${k}`).toBe(hex ? null : 'bad-value');
        expect(parseCredentialsText(value).ok).toBe(hex);
      }
    }
  });

  it('parses a SIPp-style value', () => {
    const r = parseCredentials(base);
    expect(r).toEqual({
      ok: true,
      credentials: {
        username: 'alice',
        realm: 'sip-edge',
        nonce: 'abc',
        uri: 'sip:192.0.2.1:5060',
        response: RESPONSE,
        algorithm: 'MD5',
        qop: 'auth',
        nc: '00000001',
        ncValue: 1,
        cnonce: '0a4f113b',
        opaque: null,
      },
    });
  });

  it('accepts case-insensitive scheme, names and algorithm, tabs and spaces around = and ,', () => {
    const r = parseCredentials(
      `dIgEsT USERNAME = "bob" ,\tRealm="r",NONCE="n", URI="SIPS:bob@example.com", Response="${RESPONSE.toUpperCase()}", ` +
        'ALGORITHM="md5", QOP="AUTH", Nc=0000000a, CNonce=xyz, opaque="op"',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.credentials.username).toBe('bob');
    expect(r.credentials.uri).toBe('SIPS:bob@example.com');
    expect(r.credentials.qop).toBe('AUTH');
    expect(r.credentials.ncValue).toBe(10);
    expect(r.credentials.cnonce).toBe('xyz');
    expect(r.credentials.opaque).toBe('op');
  });

  it('unescapes quoted-pairs', () => {
    const r = parseCredentials(base.replace('username="alice"', 'username="a\\"l\\\\i\\ce"'));
    expect(r.ok && r.credentials.username).toBe('a"l\\ice');
  });

  it('decodes username* (RFC 8187, UTF-8)', () => {
    const r = parseCredentials(base.replace('username="alice"', "username*=UTF-8''J%C3%A4s%C3%B8n%20Doe"));
    expect(r.ok && r.credentials.username).toBe('J\u00e4s\u00f8n Doe');
    expect(err(base.replace('username="alice"', "username*=ISO-8859-1''J%E4son"))).toBe('bad-value');
    expect(err(base.replace('username="alice"', "username*=UTF-8''%E4%"))).toBe('bad-value');
    expect(err(`${base}, username*=UTF-8''bob`)).toBe('duplicate-parameter');
  });

  it('takes SHA-256 and SHA-512-256 with 64-digit responses', () => {
    const long = 'a'.repeat(64);
    for (const alg of ['SHA-256', 'sha-512-256']) {
      const r = parseCredentials(base.replace('algorithm=MD5', `algorithm=${alg}`).replace(RESPONSE, long));
      expect(r.ok).toBe(true);
    }
    expect(err(base.replace('algorithm=MD5', 'algorithm=SHA-256'))).toBe('bad-value');
  });

  it('defaults to MD5 and allows RFC 2069 credentials without qop, nc, cnonce', () => {
    const r = parseCredentials(`Digest username="a", realm="r", nonce="n", uri="sip:x", response="${RESPONSE}"`);
    expect(r.ok && r.credentials).toMatchObject({ algorithm: 'MD5', qop: null, nc: null, ncValue: 0, cnonce: null });
  });

  it('ignores unknown parameters, also with quoted values containing commas', () => {
    expect(err(`${base}, x-ext="a, b=c", other=tok`)).toBeNull();
  });

  it.each([
    ['Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'not-digest'],
    ['', 'syntax'],
    ['Digest', 'syntax'],
    ['Digest username', 'syntax'],
    ['Digest username=', 'syntax'],
    ['Digest username="unterminated', 'syntax'],
    [`${base},`, 'syntax'],
    [`${base} junk`, 'syntax'],
    [`${base}, ,x=1`, 'syntax'],
    [base.replace('username="alice"', 'username="a\r\nb"'), 'syntax'],
    [`${base}, realm="other"`, 'duplicate-parameter'],
    [`${base}, NONCE="again"`, 'duplicate-parameter'],
    [base.replace('nonce="abc", ', ''), 'missing-parameter'],
    [base.replace('uri="sip:192.0.2.1:5060", ', ''), 'missing-parameter'],
    [base.replace(`response="${RESPONSE}", `, ''), 'missing-parameter'],
    [base.replace(', nc=00000001', ''), 'missing-parameter'],
    [base.replace('cnonce="0a4f113b", ', ''), 'missing-parameter'],
    [base.replace(', qop=auth', ''), 'unexpected-parameter'],
    [`${base}, userhash=true`, 'unexpected-parameter'],
    [base.replace('algorithm=MD5', 'algorithm=MD5-sess'), 'unsupported-algorithm'],
    [base.replace('algorithm=MD5', 'algorithm=SHA-1'), 'unsupported-algorithm'],
    [base.replace('qop=auth', 'qop=auth-int'), 'unsupported-qop'],
    [base.replace('nc=00000001', 'nc=1'), 'bad-value'],
    [base.replace('nc=00000001', 'nc=0000000g'), 'bad-value'],
    [base.replace('nc=00000001', 'nc=00000000'), 'bad-value'],
    [base.replace(RESPONSE, RESPONSE.slice(1)), 'bad-value'],
    [base.replace(RESPONSE, `${RESPONSE.slice(1)}z`), 'bad-value'],
    [base.replace('sip:192.0.2.1:5060', 'http://example.com/'), 'bad-value'],
    [base.replace('sip:192.0.2.1:5060', '/dir/index.html'), 'bad-value'],
    [base.replace('nonce="abc"', `nonce="${'n'.repeat(257)}"`), 'too-long'],
    [base.replace('sip:192.0.2.1:5060', `sip:${'u'.repeat(1100)}`), 'too-long'],
    [`${base}${', x=1'.repeat(40)}`, 'too-long'],
    [`${base}, x="${'y'.repeat(MAX_CREDENTIALS_LENGTH)}"`, 'too-long'],
  ])('rejects %j as %s', (value, expected) => {
    expect(err(value)).toBe(expected);
  });

  it('never throws on random bytes', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const alphabet = 'Digest ,="\\\r\nabcnrqop=auth0123456789:@\u00e4\u0000';
    for (let n = 0; n < 5000; n++) {
      let s = n % 2 === 0 ? base.slice(0, next() % base.length) : '';
      const extra = next() % 40;
      for (let i = 0; i < extra; i++) s += alphabet[next() % alphabet.length];
      const r = parseCredentials(s);
      expect(typeof r.ok).toBe('boolean');
    }
  });
});

describe('parseCredentials (bytes) against parseCredentialsText (characters)', () => {
  it('parses non-ASCII quoted values through the character parser', () => {
    const r = parseCredentials(base.replace('username="alice"', 'username="J\u00e4s\u00f8n \u20ac"'));
    expect(r.ok && r.credentials.username).toBe('J\u00e4s\u00f8n \u20ac');
    // As the SIP layer hands it over: UTF-8 bytes decoded as latin1.
    const latin1 = Buffer.from(base.replace('alice', 'J\u00e4son'), 'utf8').toString('latin1');
    expect(parseCredentials(latin1)).toEqual(parseCredentialsText(latin1));
  });

  it('rejects control characters in hex fields', () => {
    expect(err(base.replace(RESPONSE, `\u0010${RESPONSE.slice(1)}`))).toBe('bad-value');
    expect(err(base.replace('nc=00000001', 'nc="0000000\u0011"'))).toBe('bad-value');
  });

  it('gives the same result for 20,000 seeded mutations of valid values', () => {
    const random = seededRandom(7616);
    const pick = (n: number) => Math.floor(random() * n);
    const bases = [
      base,
      `dIgEsT USERNAME = "bob" ,\tRealm="r",NONCE="n", URI="SIPS:bob@example.com", Response="${RESPONSE.toUpperCase()}", ALGORITHM="md5", QOP="AUTH", Nc=0000000a, CNonce=xyz, opaque="op"`,
      `Digest username="a", realm="r", nonce="n", uri="sip:x", response="${RESPONSE}"`,
      base.replace('algorithm=MD5', 'algorithm=SHA-512-256').replace(RESPONSE, 'ab'.repeat(32)),
      `${base}, x-ext="a, b=c", userhash=FALSE`,
      base.replace('username="alice"', "username*=UTF-8''J%C3%A4s%C3%B8n"),
    ];
    const pieces = ['"', '\\', ',', '=', ' ', '\t', '\r', '\n', 'a', 'Z', '0', 'f', ':', '\u00e4', '\u20ac', '\u0010', 'nc=1', 'qop=auth', 'realm="x"', 'sip:', 'SIPS:', 'MD5', 'sha-256', ', x=1'];
    let same = 0;
    for (let n = 0; n < 20_000; n++) {
      let value = bases[pick(bases.length)];
      for (let edits = 1 + pick(3); edits > 0; edits--) {
        const at = pick(value.length + 1);
        const cut = pick(3);
        value = value.slice(0, at) + (random() < 0.7 ? pieces[pick(pieces.length)] : '') + value.slice(Math.min(value.length, at + cut));
      }
      expect(parseCredentials(value), JSON.stringify(value)).toEqual(parseCredentialsText(value));
      same++;
    }
    expect(same).toBe(20_000);
  });
});

describe('selectCredentials', () => {
  const other = base.replace('realm="sip-edge"', 'realm="upstream"');
  it('picks the credentials for our realm among several headers and schemes', () => {
    const r = selectCredentials(['Basic Zm9vOmJhcg==', other, base], 'sip-edge');
    expect(r.ok && r.credentials.realm).toBe('sip-edge');
  });
  it('says none when nothing is for our realm', () => {
    expect(selectCredentials([other, 'Bearer x'], 'sip-edge')).toEqual({ ok: false, error: 'none' });
    expect(selectCredentials([], 'sip-edge')).toEqual({ ok: false, error: 'none' });
  });
  it('reports a malformed value when nothing valid is for our realm', () => {
    expect(selectCredentials([other, `${base}, realm="x"`], 'sip-edge')).toEqual({ ok: false, error: 'duplicate-parameter' });
  });
  it('compares the realm exactly', () => {
    expect(selectCredentials([base], 'SIP-EDGE')).toEqual({ ok: false, error: 'none' });
  });
});
