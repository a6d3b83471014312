// A Twilio v1 extract's validator (trunking or conversations): v1 dates are ISO 8601 in UTC without
// fractions, as Twilio sends them, and v1 URLs are absolute (any scheme: sip_url is a uri too).
import { OpenApiSchemas } from '../../helpers/openapi-schema.ts';

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function absoluteUri(v: string): boolean {
  try {
    return new URL(v).protocol.length > 1 && !/\s/.test(v);
  } catch {
    return false;
  }
}

export class V1Schemas extends OpenApiSchemas {
  /** `file`: e.g. 'twilio_trunking_v1.sip.json' under shared/specs/twilio. */
  constructor(file: string) {
    super(file, {
      dropKeys: ['description', 'examples', 'example', 'default'],
      closeUntypedObjects: true,
      formats: {
        'date-time': ISO_Z,
        uri: absoluteUri,
        'http-method': /^(GET|POST)$/,
        'uri-map': () => true,
        int64: () => true,
        'phone-number': () => true,
        'phone-number-capabilities': () => true,
      },
    });
  }
}
