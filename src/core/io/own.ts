/**
 * `table[key]` when `key` is one of the table's own keys, else undefined. Names read from a file
 * are looked up with it: as a plain property access, "constructor", "toString" or "__proto__"
 * would find Object.prototype's members instead of nothing.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
