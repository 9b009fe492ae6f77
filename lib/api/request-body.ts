/**
 * A request body read as text, at most `maxBytes` of it. A declared `Content-Length` over the cap is refused
 * before anything is read; a chunked body (no length, or a false one) is read chunk by chunk and refused as soon
 * as it passes the cap, so an over-size body never sits in memory whole (`request.text()` read 300 MB before
 * its size could be checked). Returns null when the body is too large.
 *
 * The rest of an over-size body is left unread, not cancelled: cancelling destroys Node's request, and with it
 * the socket the 413 must go out on. The answer closes the connection instead (`TOO_LARGE_HEADERS`).
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Headers of a 413: the unread rest of the body is not waited for. */
export const TOO_LARGE_HEADERS = { connection: "close" } as const;
