// Adapts the SIP transport to the proxy's SendFn: answers on the connection a request came in on
// while it is open, else sends by transport to address:port (TCP reuses or opens a connection).

import type { SipTransport } from '../transport/sip-transport.ts';
import type { SendFn } from './types.ts';

export function transportSender(transport: SipTransport): SendFn {
  return (to, bytes, onError) => {
    const c = to.connection;
    if (c !== undefined && c !== null && c.isOpen) {
      c.send(bytes, onError);
      return;
    }
    transport.send(to.transport, to.address, to.port, bytes, onError);
  };
}
