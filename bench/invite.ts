// A typical INVITE with SDP (about 900 bytes), as a softphone behind NAT would send it.
const sdp = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.7',
  's=-',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const head = [
  'INVITE sip:+14155550123@pbx.example.com;user=phone SIP/2.0',
  'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'From: "Alice Smith" <sip:alice@example.com>;tag=1928301774',
  'To: <sip:+14155550123@pbx.example.com;user=phone>',
  'Call-ID: a84b4c76e66710@198.51.100.7',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@198.51.100.7:5060;transport=udp>',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY',
  'Supported: replaces, timer',
  'User-Agent: ExamplePhone/5.2.1',
  'Session-Expires: 1800',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(sdp)}`,
  '',
  '',
].join('\r\n');

export const TYPICAL_INVITE = Buffer.from(head + sdp, 'latin1');
