// Tables as CSV files (RFC 4180: every field quoted, CRLF line ends), and
// their download from the page.

export type Table = { name: string; header: string[]; rows: (string | number)[][] };

export function toCsv(table: Table): string {
  const field = (value: string | number) => `"${String(value).replace(/"/g, '""')}"`;
  return [table.header, ...table.rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Starts the download of `table` as NAME.csv. */
export function downloadCsv(table: Table): void {
  const url = URL.createObjectURL(new Blob([toCsv(table)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${table.name}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
