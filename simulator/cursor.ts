/**
 * Opaque paging cursors. The vendor's cursor (`AAAAAGCaL2kAAAAAAAAAAAAAAAAAAAn8`) is 24 bytes of base64 whose
 * first 8 bytes are the epoch second of the page's last record; ours keeps that look and holds the position
 * after the last returned record: (epoch second, id). The id breaks ties between records created in the
 * same second, so paging never skips or repeats one. A kind tag and checksum let us reject cursors that were
 * edited or belong to another endpoint (40403).
 */

export type CursorKind = "clue" | "followUp";
export type CursorPosition = { sec: number; id: number };

const KIND_TAGS: Record<CursorKind, number> = { clue: 0x436c7565, followUp: 0x466f6c6c };
const CURSOR_BYTES = 24;
const CURSOR_RE = /^[A-Za-z0-9+/]{32}$/;

function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

export function encodeCursor(kind: CursorKind, position: CursorPosition): string {
  const buf = Buffer.alloc(CURSOR_BYTES);
  buf.writeBigUInt64BE(BigInt(position.sec), 0);
  buf.writeBigUInt64BE(BigInt(position.id), 8);
  buf.writeUInt32BE(KIND_TAGS[kind], 16);
  buf.writeUInt32BE(checksum(buf.subarray(0, 20)), 20);
  return buf.toString("base64");
}

/** The position a cursor holds, or undefined when it is not one of ours for this kind. */
export function decodeCursor(kind: CursorKind, text: string): CursorPosition | undefined {
  if (!CURSOR_RE.test(text)) return undefined;
  const buf = Buffer.from(text, "base64");
  if (buf.length !== CURSOR_BYTES || buf.readUInt32BE(16) !== KIND_TAGS[kind]) return undefined;
  if (buf.readUInt32BE(20) !== checksum(buf.subarray(0, 20))) return undefined;
  const sec = Number(buf.readBigUInt64BE(0));
  const id = Number(buf.readBigUInt64BE(8));
  return Number.isSafeInteger(sec) && Number.isSafeInteger(id) ? { sec, id } : undefined;
}
