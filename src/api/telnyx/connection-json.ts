// The JSON representation of a credential connection, as Telnyx returns it, minus the password
// (never stored) plus the sip_target extension field.
import type { ConnectionRecord } from '../../store/connections.ts';

export function connectionJson(c: ConnectionRecord): Record<string, unknown> {
  return {
    id: c.id,
    record_type: 'credential_connection',
    active: c.active,
    connection_name: c.connectionName,
    user_name: c.userName,
    sip_target: c.sipTarget,
    ...c.settings.top,
    inbound: c.settings.inbound,
    outbound: c.settings.outbound,
    rtcp_settings: c.settings.rtcp_settings,
    created_at: new Date(c.createdAt).toISOString(),
    updated_at: new Date(c.updatedAt).toISOString(),
  };
}
