// Parsing of the Telnyx list query: defaults, bounds, filters, sorts, flat and nested keys.
import { describe, expect, it } from 'vitest';
import { pageMeta, parseConnectionListQuery } from '../../src/api/telnyx/list-query.ts';
import { TelnyxError } from '../../src/api/telnyx/errors.ts';

function error(query: Record<string, unknown>): TelnyxError {
  try {
    parseConnectionListQuery(query);
  } catch (e) {
    if (e instanceof TelnyxError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseConnectionListQuery', () => {
  it('defaults to page 1 of 250 by created_at ascending, without filters', () => {
    expect(parseConnectionListQuery({})).toEqual({
      pageNumber: 1,
      pageSize: 250,
      nameContains: null,
      outboundVoiceProfileId: null,
      sort: { field: 'created_at', descending: false },
    });
  });

  it('reads flat bracketed keys and nested objects alike', () => {
    const flat = parseConnectionListQuery({ 'page[number]': '3', 'page[size]': '10', 'filter[connection_name][contains]': 'Off', sort: '-active' });
    const nested = parseConnectionListQuery({ page: { number: '3', size: '10' }, filter: { connection_name: { contains: 'Off' } }, sort: '-active' });
    expect(flat).toEqual(nested);
    expect(flat).toMatchObject({ pageNumber: 3, pageSize: 10, nameContains: 'Off', sort: { field: 'active', descending: true } });
    expect(parseConnectionListQuery({ 'filter[outbound.outbound_voice_profile_id]': '42' }).outboundVoiceProfileId).toBe('42');
  });

  it('refuses out-of-range and malformed values, naming the parameter, with 422 and 10015', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ 'page[size]': '251' }, 'page[size]'],
      [{ 'page[size]': '0' }, 'page[size]'],
      [{ 'page[size]': '1e2' }, 'page[size]'],
      [{ 'page[number]': '0' }, 'page[number]'],
      [{ 'page[number]': '-1' }, 'page[number]'],
      [{ 'page[number]': ['1', '2'] }, 'page[number]'],
      [{ 'filter[connection_name][contains]': 'ab' }, 'filter[connection_name][contains]'],
      [{ 'filter[outbound.outbound_voice_profile_id]': '' }, 'filter[outbound.outbound_voice_profile_id]'],
      [{ sort: 'password' }, 'sort'],
      [{ sort: '--active' }, 'sort'],
    ];
    for (const [query, parameter] of cases) {
      const e = error(query);
      expect(e.status, JSON.stringify(query)).toBe(422);
      expect(e.body().errors[0]).toMatchObject({ code: '10015', source: { parameter } });
    }
  });
});

describe('pageMeta', () => {
  it('counts pages by ceiling, zero for no results', () => {
    expect(pageMeta({ pageNumber: 1, pageSize: 2 }, 5)).toEqual({ page_number: 1, page_size: 2, total_pages: 3, total_results: 5 });
    expect(pageMeta({ pageNumber: 1, pageSize: 5 }, 5).total_pages).toBe(1);
    expect(pageMeta({ pageNumber: 2, pageSize: 250 }, 0)).toEqual({ page_number: 2, page_size: 250, total_pages: 0, total_results: 0 });
  });
});
