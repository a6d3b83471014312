// v1 envelopes: ISO dates, PageSize bounds per resource, and the meta block's absolute URLs.
import { describe, expect, it } from 'vitest';
import { isoDate, parseV1Paging, v1ListEnvelope } from '../../src/api/trunking/v1-page.ts';
import { ApiError } from '../../src/api/errors.ts';

const LIST = 'https://edge.example.net/v1/Trunks';
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ sid: `TK${String(i).padStart(32, '0')}` }));

describe('isoDate', () => {
  it('prints UTC seconds with a Z and no fraction', () => {
    expect(isoDate(Date.UTC(2026, 10, 23, 12, 0, 0, 987))).toBe('2026-11-23T12:00:00Z');
  });
});

describe('parseV1Paging', () => {
  it('defaults to 50 and enforces the resource maximum', () => {
    expect(parseV1Paging({}, 100)).toEqual({ pageSize: 50, page: 0, token: undefined });
    expect(parseV1Paging({ PageSize: '100' }, 100).pageSize).toBe(100);
    expect(() => parseV1Paging({ PageSize: '101' }, 100)).toThrow(ApiError);
    expect(() => parseV1Paging({ PageSize: '1001' }, 1000)).toThrow(ApiError);
    expect(() => parseV1Paging({ PageSize: '0' }, 1000)).toThrow(ApiError);
  });
});

describe('v1ListEnvelope', () => {
  it('links the first page to the next one with a PA token and has no previous page', () => {
    const p = parseV1Paging({ PageSize: '2' }, 1000);
    const env = v1ListEnvelope('trunks', LIST, p, { rows: rows(2), hasMore: true }, (r) => r.sid) as any;
    expect(env.trunks).toEqual([rows(2)[0]!.sid, rows(2)[1]!.sid]);
    expect(env.meta).toEqual({
      page: 0,
      page_size: 2,
      first_page_url: `${LIST}?PageSize=2&Page=0`,
      previous_page_url: null,
      url: `${LIST}?PageSize=2&Page=0`,
      next_page_url: `${LIST}?PageSize=2&Page=1&PageToken=PA${rows(2)[1]!.sid}`,
      key: 'trunks',
    });
  });

  it('keeps the token in url, links back, and ends with a null next_page_url', () => {
    const token = `PA${rows(2)[1]!.sid}`;
    const p = parseV1Paging({ PageSize: '2', Page: '1', PageToken: token }, 1000);
    const env = v1ListEnvelope('trunks', LIST, p, { rows: rows(1), hasMore: false }, (r) => r) as any;
    expect(env.meta.url).toBe(`${LIST}?PageSize=2&Page=1&PageToken=${token}`);
    expect(env.meta.previous_page_url).toBe(`${LIST}?PageSize=2&Page=0`);
    expect(env.meta.next_page_url).toBeNull();
  });
});
