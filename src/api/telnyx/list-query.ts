// Parses the query of GET /v2/credential_connections: page[number], page[size],
// filter[connection_name][contains], filter[outbound.outbound_voice_profile_id] and sort.
// Accepts both flat keys ("page[size]", the default parser) and nested objects (qs-style parsers).
import { invalidParameter } from './errors.ts';

export type ConnectionSortField = 'created_at' | 'connection_name' | 'active';

export interface ConnectionListQuery {
  pageNumber: number;
  pageSize: number;
  /** Case-insensitive substring of connection_name, at least 3 characters. */
  nameContains: string | null;
  outboundVoiceProfileId: string | null;
  sort: { field: ConnectionSortField; descending: boolean };
}

export const MAX_PAGE_SIZE = 250;
export const DEFAULT_PAGE_SIZE = 250;
const MAX_PAGE_NUMBER = 1_000_000;
const MAX_FILTER_LENGTH = 255;
const SORT_FIELDS: readonly ConnectionSortField[] = ['created_at', 'connection_name', 'active'];

type Query = Record<string, unknown>;

/** The value under `path` (e.g. ['page', 'size']), flat ("page[size]") or nested. */
function lookup(query: Query, path: readonly string[]): unknown {
  const flat = path[0] + path.slice(1).map((p) => `[${p}]`).join('');
  if (Object.hasOwn(query, flat)) return query[flat];
  let node: unknown = query;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Query)[part];
  }
  return node;
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(name, `The '${name}' parameter must be given once, as a string.`);
  return value;
}

function integer(name: string, text: string | undefined, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(text)) throw invalidParameter(name, `The '${name}' parameter must be an integer between ${min} and ${max}.`);
  const n = Number(text);
  if (n < min || n > max) throw invalidParameter(name, `The '${name}' parameter must be an integer between ${min} and ${max}.`);
  return n;
}

export function parseConnectionListQuery(query: Query): ConnectionListQuery {
  const pageNumber = integer('page[number]', single('page[number]', lookup(query, ['page', 'number'])), 1, MAX_PAGE_NUMBER, 1);
  const pageSize = integer('page[size]', single('page[size]', lookup(query, ['page', 'size'])), 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);

  const containsName = 'filter[connection_name][contains]';
  const contains = single(containsName, lookup(query, ['filter', 'connection_name', 'contains']));
  if (contains !== undefined && (contains.length < 3 || contains.length > MAX_FILTER_LENGTH)) {
    throw invalidParameter(containsName, `The '${containsName}' filter must be between 3 and ${MAX_FILTER_LENGTH} characters long.`);
  }

  const profileName = 'filter[outbound.outbound_voice_profile_id]';
  const profile = single(profileName, lookup(query, ['filter', 'outbound.outbound_voice_profile_id']));
  if (profile !== undefined && (profile.length === 0 || profile.length > 64)) {
    throw invalidParameter(profileName, `The '${profileName}' filter must be a non-empty ID.`);
  }

  const sortText = single('sort', lookup(query, ['sort'])) ?? 'created_at';
  const descending = sortText.startsWith('-');
  const field = (descending ? sortText.slice(1) : sortText) as ConnectionSortField;
  if (!SORT_FIELDS.includes(field)) {
    throw invalidParameter('sort', `The 'sort' parameter must be one of ${SORT_FIELDS.join(', ')}, optionally prefixed with '-'.`);
  }

  return {
    pageNumber,
    pageSize,
    nameContains: contains ?? null,
    outboundVoiceProfileId: profile ?? null,
    sort: { field, descending },
  };
}

export interface TelnyxPageMeta {
  page_number: number;
  page_size: number;
  total_pages: number;
  total_results: number;
}

export function pageMeta(q: Pick<ConnectionListQuery, 'pageNumber' | 'pageSize'>, totalResults: number): TelnyxPageMeta {
  return {
    page_number: q.pageNumber,
    page_size: q.pageSize,
    total_pages: Math.ceil(totalResults / q.pageSize),
    total_results: totalResults,
  };
}
