// JSON-schema validation of v1 responses against a Twilio OpenAPI extract (trunking or
// conversations), adapted as test/api/helpers/schema.ts does for v2010: `nullable` admits null,
// every object schema is closed and requires all its properties, Twilio's formats are checked.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'x-twilio' || k === 'description' || k === 'examples' || k === 'example' || k === 'default') continue;
    out[k] = adapt(v);
  }
  if (out.$ref !== undefined) {
    const ref = { $ref: out.$ref };
    return src.nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  if (out.properties && typeof out.properties === 'object' && (out.type === 'object' || out.type === undefined)) {
    out.additionalProperties = false;
    out.required = Object.keys(out.properties as Json);
  }
  return out;
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export class V1Schemas {
  readonly #spec: Json;
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  /** `file`: e.g. 'twilio_trunking_v1.sip.json' under shared/specs/twilio. */
  constructor(file: string) {
    const path = fileURLToPath(new URL(`../../../../shared/specs/twilio/${file}`, import.meta.url));
    this.#spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    // v1 dates are ISO 8601 in UTC without fractions, as Twilio sends them.
    this.#ajv.addFormat('date-time', ISO_Z);
    // v1 URLs are absolute (any scheme: sip_url is a uri too).
    this.#ajv.addFormat('uri', (v: string) => {
      try {
        return new URL(v).protocol.length > 1 && !/\s/.test(v);
      } catch {
        return false;
      }
    });
    this.#ajv.addFormat('http-method', /^(GET|POST)$/);
    this.#ajv.addFormat('uri-map', () => true);
    this.#ajv.addFormat('int64', () => true);
    this.#ajv.addFormat('phone-number', () => true);
    this.#ajv.addFormat('phone-number-capabilities', () => true);
    const components = (this.#spec.components as Json).schemas as Json;
    for (const [name, schema] of Object.entries(components)) {
      this.#ajv.addSchema(adapt(schema) as Json, `#/components/schemas/${name}`);
    }
  }

  validator(method: string, path: string, status: number): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let fn = this.#cache.get(key);
    if (!fn) {
      const op = ((this.#spec.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
      if (!op) throw new Error(`no operation ${method} ${path} in the extract`);
      const resp = (op.responses as Json)[String(status)] as Json | undefined;
      const schema = ((resp?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (!schema) throw new Error(`no ${status} JSON schema for ${method} ${path}`);
      fn = this.#ajv.compile(adapt(schema) as Json);
      this.#cache.set(key, fn);
    }
    return fn;
  }

  check(method: string, path: string, status: number, body: unknown): void {
    const fn = this.validator(method, path, status);
    if (!fn(body)) throw new Error(`${method} ${path} ${status}: ${JSON.stringify(fn.errors)}\n${JSON.stringify(body)}`);
  }
}
