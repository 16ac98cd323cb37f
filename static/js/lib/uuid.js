// A v4 UUID for an evidence item's client_uuid: the server creates one item per id, so a
// retry or a double submit never makes a duplicate.

export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; build the same v4 id from random bytes otherwise.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
