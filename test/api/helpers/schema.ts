// The Twilio v2010 extract's validator: v2010 dates are RFC 2822 and its `uri` fields may be relative.
import { OpenApiSchemas } from '../../helpers/openapi-schema.ts';

const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

function relativeOrAbsoluteUri(v: string): boolean {
  try {
    new URL(v, 'http://relative.invalid');
    return v.length > 0 && !/\s/.test(v);
  } catch {
    return false;
  }
}

export class V2010Schemas extends OpenApiSchemas {
  constructor() {
    super('twilio_api_v2010.sip.json', {
      dropKeys: ['description', 'examples', 'example'],
      closeUntypedObjects: false,
      formats: {
        'date-time-rfc-2822': RFC2822,
        uri: relativeOrAbsoluteUri,
        'http-method': /^(GET|POST)$/,
        'uri-map': () => true,
        int64: () => true,
      },
    });
  }
}
