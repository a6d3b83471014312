// JSON-schema validation of API responses against a Twilio OpenAPI extract under shared/specs/twilio.
// OpenAPI 3.0 is adapted to JSON Schema: `nullable: true` admits null, documentation keys are dropped,
// and to catch missing and invented fields every object schema is closed (additionalProperties false)
// and requires all its properties. Each API version names its own formats.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

export type Json = Record<string, unknown>;
export type FormatCheck = RegExp | ((value: string) => boolean);

export interface OpenApiSchemaOptions {
  /** Keys removed before compiling, besides `nullable` and `x-twilio`. */
  dropKeys: readonly string[];
  /** Close schemas that list properties but name no type (not only `type: object`). */
  closeUntypedObjects: boolean;
  formats: Record<string, FormatCheck>;
}

function adapter(opts: OpenApiSchemaOptions): (node: unknown) => unknown {
  const drop = new Set(['nullable', 'x-twilio', ...opts.dropKeys]);
  const adapt = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(adapt);
    if (!node || typeof node !== 'object') return node;
    const src = node as Json;
    const out: Json = {};
    for (const [k, v] of Object.entries(src)) {
      if (!drop.has(k)) out[k] = adapt(v);
    }
    if (out.$ref !== undefined) {
      const ref = { $ref: out.$ref };
      return src.nullable ? { anyOf: [ref, { type: 'null' }] } : ref;
    }
    if (src.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    }
    const objectLike = out.type === 'object' || (opts.closeUntypedObjects && out.type === undefined);
    if (objectLike && out.properties && typeof out.properties === 'object') {
      out.additionalProperties = false;
      out.required = Object.keys(out.properties as Json);
    }
    return out;
  };
  return adapt;
}

export class OpenApiSchemas {
  readonly spec: Json;
  readonly #ajv: Ajv;
  readonly #adapt: (node: unknown) => unknown;
  readonly #cache = new Map<string, ValidateFunction>();

  /** `file`: e.g. 'twilio_trunking_v1.sip.json' under shared/specs/twilio. */
  constructor(file: string, opts: OpenApiSchemaOptions) {
    const path = fileURLToPath(new URL(`../../../shared/specs/twilio/${file}`, import.meta.url));
    this.spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    this.#adapt = adapter(opts);
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    for (const [name, check] of Object.entries(opts.formats)) this.#ajv.addFormat(name, check);
    const components = (this.spec.components as Json).schemas as Json;
    for (const [name, schema] of Object.entries(components)) {
      this.#ajv.addSchema(this.#adapt(schema) as Json, `#/components/schemas/${name}`);
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
      fn = this.#ajv.compile(this.#adapt(schema) as Json);
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
