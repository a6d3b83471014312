// JSON-schema validation of responses against the Twilio v2010 OpenAPI extract. Adaptations of
// OpenAPI 3.0 to JSON Schema: `nullable: true` becomes a null-admitting type; Twilio's custom formats
// get validators (`uri` admits the relative URIs v2010 uses). To catch missing and invented fields,
// every object schema is closed (additionalProperties false) and requires all its properties.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

const SPEC_PATH = fileURLToPath(new URL('../../../../shared/specs/twilio/twilio_api_v2010.sip.json', import.meta.url));

type Json = Record<string, unknown>;

function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable' || k === 'x-twilio' || k === 'description' || k === 'examples' || k === 'example') continue;
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
  if (out.type === 'object' && out.properties && typeof out.properties === 'object') {
    out.additionalProperties = false;
    out.required = Object.keys(out.properties as Json);
  }
  return out;
}

const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

export class V2010Schemas {
  readonly spec: Json;
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor() {
    this.spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    this.#ajv.addFormat('date-time-rfc-2822', RFC2822);
    this.#ajv.addFormat('uri', (v: string) => {
      try {
        new URL(v, 'http://relative.invalid');
        return v.length > 0 && !/\s/.test(v);
      } catch {
        return false;
      }
    });
    this.#ajv.addFormat('http-method', /^(GET|POST)$/);
    this.#ajv.addFormat('uri-map', () => true);
    this.#ajv.addFormat('int64', () => true);
    const components = (this.spec.components as Json).schemas as Json;
    for (const [name, schema] of Object.entries(components)) {
      this.#ajv.addSchema(adapt(schema) as Json, `#/components/schemas/${name}`);
    }
  }

  /** Validator of the response of `method path` (path as in the extract) with `status`. */
  validator(method: string, path: string, status: number): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let fn = this.#cache.get(key);
    if (!fn) {
      const op = ((this.spec.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
      if (!op) throw new Error(`no operation ${method} ${path} in the extract`);
      const resp = (op.responses as Json)[String(status)] as Json | undefined;
      const schema = ((resp?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (!schema) throw new Error(`no ${status} JSON schema for ${method} ${path}`);
      fn = this.#ajv.compile(adapt(schema) as Json);
      this.#cache.set(key, fn);
    }
    return fn;
  }

  /** Throws with ajv's errors when `body` does not match. */
  check(method: string, path: string, status: number, body: unknown): void {
    const fn = this.validator(method, path, status);
    if (!fn(body)) throw new Error(`${method} ${path} ${status}: ${JSON.stringify(fn.errors)}\n${JSON.stringify(body)}`);
  }
}
