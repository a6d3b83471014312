import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/parse.ts';
import { buildParseErrorResponse } from '../../src/sip/response.ts';
import { validateRequest } from '../../src/sip/validate.ts';
import { loadCorpus } from './corpus.ts';

const corpus = loadCorpus();

/** What the parse layer decides for a request: a status code, 'drop', or 'pass' (routing decides). */
function edgeOutcome(bytes: Buffer): number | 'drop' | 'pass' {
  const r = parseMessage(bytes);
  if (r.kind === 'parse-error') return buildParseErrorResponse(r) === null ? 'drop' : r.status;
  if (r.type !== 'request') return 'drop';
  return validateRequest(r)?.status ?? 'pass';
}

describe('RFC 4475 corpus', () => {
  it('has all 49 messages', () => {
    expect(corpus.length).toBe(49);
  });

  for (const m of corpus) {
    it(`${m.file} (${m.section}) parse: ${m.parse}`, () => {
      const r = parseMessage(m.bytes);
      if (m.parse === 'accept') {
        expect(r.kind, r.kind === 'parse-error' ? r.reason : '').not.toBe('parse-error');
        if (r.kind !== 'parse-error') expect(r.type).toBe(m.kind);
      } else if (m.parse === 'reject') {
        expect(r.kind).toBe('parse-error');
      } else {
        expect(r.kind === 'parse-error' || r.type === m.kind).toBe(true);
      }
    });

    if (m.kind === 'request') {
      it(`${m.file} edge: ${m.edge}`, () => {
        const got = edgeOutcome(m.bytes);
        switch (m.edge) {
          case '400': case '416': case '420': case '483':
            expect(got).toBe(Number(m.edge));
            break;
          case '400 or 505':
            expect([400, 505]).toContain(got);
            break;
          case 'not-400':
            expect(got).not.toBe(400);
            expect(got).not.toBe('drop');
            break;
          case 'any-final':
            expect(got).not.toBe('drop');
            break;
          default:
            throw new Error(`unexpected edge column ${m.edge}`);
        }
      });
    }
  }

  it('answers every rejected request it can with a response that parses', () => {
    let answered = 0;
    for (const m of corpus) {
      const r = parseMessage(m.bytes);
      if (r.kind !== 'parse-error') continue;
      const out = buildParseErrorResponse(r);
      if (m.kind === 'response') {
        expect(out).toBeNull();
        continue;
      }
      if (out === null) continue;
      answered++;
      const resp = parseMessage(out);
      if (resp.kind === 'parse-error') {
        // The answer copies Via/From/To/Call-ID/CSeq as received (RFC 3261 §8.2.6.2), so it is
        // only as well-formed as those: that is the one accepted reason for it not to parse.
        expect(['bad Via', 'bad From', 'bad To', 'bad Call-ID', 'bad CSeq']).toContain(resp.reason);
        continue;
      }
      if (resp.type !== 'response') throw new Error('answer must be a response');
      expect(resp.status).toBe(r.status);
      expect(resp.callId).toBe(r.callId);
      expect(resp.via.length).toBeGreaterThan(0);
      expect(resp.to?.tag).toBeDefined();
    }
    expect(answered).toBeGreaterThanOrEqual(15);
  });

  it('keeps only Content-Length octets of a datagram with trailing data (dblreq)', () => {
    const m = corpus.find((e) => e.file === 'dblreq.dat')!;
    const r = parseMessage(m.bytes);
    if (r.kind === 'parse-error' || r.type !== 'request') throw new Error('dblreq must parse');
    expect(r.method).toBe('REGISTER');
    expect(r.body.length).toBe(0);
  });
});
