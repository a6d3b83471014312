// Runs the API in its own process for the durability test: DATA_DIR, EDGE_ACCOUNT_SID and
// EDGE_AUTH_TOKEN from the environment, a free port on 127.0.0.1, announced as "PORT <n>".
import { startApi } from '../../../src/api/start.ts';

const api = await startApi({
  dataDir: process.env.DATA_DIR!,
  host: '127.0.0.1',
  port: 0,
  realm: 'sip-edge.test',
  accountSid: process.env.EDGE_ACCOUNT_SID,
  authToken: process.env.EDGE_AUTH_TOKEN,
});
process.stdout.write(`PORT ${api.port}\n`);
process.on('SIGTERM', () => {
  void api.close().then(() => process.exit(0));
});
