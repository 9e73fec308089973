import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";

/** The file's bytes, decompressed when the name ends in .gz. */
export function openBytes(path: string, options: { end?: number } = {}): Readable {
  const raw = createReadStream(path, options.end === undefined ? {} : { end: options.end });
  if (!path.toLowerCase().endsWith(".gz")) return raw;
  const gunzip = createGunzip();
  raw.on("error", (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/** The first `limit` bytes of the (decompressed) file. */
export async function headBytes(path: string, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = openBytes(path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch (error) {
    // A truncated gzip still yields its first bytes; the full read reports the problem.
    if (size === 0) throw error;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
