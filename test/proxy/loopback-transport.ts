// A real SIP transport on 127.0.0.1 (UDP and TCP, free port) that parses what arrives and hands it to
// a proxy core, once the caller has built one with the transport's port.
import type { Proxy } from '../../src/proxy/proxy.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';
import { SipTransport } from '../../src/transport/sip-transport.ts';

export function loopbackTransportFor(proxy: () => Proxy | undefined): Promise<SipTransport> {
  return SipTransport.start({
    host: '127.0.0.1', port: 0, family: 4,
    onMessage: (data, source) => {
      const m = parseMessage(data);
      const p = proxy();
      if (isParseError(m) || p === undefined) return;
      const peer = { transport: source.transport, address: source.address, port: source.port, connection: source.connection };
      if (m.type === 'request') p.handleRequest(m, peer);
      else p.handleResponse(m, peer);
    },
  });
}
