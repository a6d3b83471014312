// Tables linking a target (SIP domain or trunk) to credential lists or IP ACLs: the link row names the
// list in `listColumn`, and reads join the list for its friendly name.
export interface ListLinkTable {
  table: string;
  listColumn: string;
  listTable: string;
}

/** SELECT of link rows (alias m) with the list's name as list_name and rowid as _rowid, for paging. */
export function listLinkSelect(t: ListLinkTable): string {
  return `SELECT m.*, m.rowid AS _rowid, l.friendly_name AS list_name FROM ${t.table} m JOIN ${t.listTable} l ON l.sid = m.${t.listColumn}`;
}
