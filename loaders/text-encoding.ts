import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import iconv from "iconv-lite";
import { LoadError } from "./load-error.ts";
import { headBytes, openBytes } from "./text-stream.ts";

/** Encodings named in configs that mean plain UTF-8 (DuckDB reads it directly). */
const UTF8_NAMES = new Set(["utf-8", "utf8"]);

/** A text file DuckDB can read as UTF-8: the original, or a transcoded temporary copy. */
export interface Utf8File {
  path: string;
  /** The encoding the source was read in. */
  encoding: string;
  /** Delete the temporary copy, if one was made. */
  cleanup(): Promise<void>;
}

/** True when the bytes are valid UTF-8 (a multi-byte character cut off at the end is allowed). */
export function looksLikeUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function isUtf8Name(encoding: string): boolean {
  return UTF8_NAMES.has(encoding.toLowerCase());
}

/** Check a declared encoding early, so a typo fails before any reading. */
export function checkEncodingName(file: string, encoding: string): void {
  if (!isUtf8Name(encoding) && !iconv.encodingExists(encoding)) {
    throw new LoadError(file, `unknown encoding "${encoding}"; use utf-8, gb18030, gbk, big5, latin1 or another name iconv-lite knows`);
  }
}

/**
 * Decide the file's encoding and give DuckDB a UTF-8 file: a declared non-UTF-8 encoding is transcoded;
 * without a declaration, bytes that are not UTF-8 are tried as GB18030 (Chinese CRM exports) and accepted
 * only when they decode without a single replacement character.
 */
export async function asUtf8(path: string, declared?: string, options: { forceDetect?: boolean } = {}): Promise<Utf8File> {
  if (declared) {
    checkEncodingName(path, declared);
    if (isUtf8Name(declared)) return { path, encoding: "utf-8", cleanup: async () => {} };
    return transcode(path, declared, false);
  }
  if (!options.forceDetect && looksLikeUtf8(await headBytes(path))) return { path, encoding: "utf-8", cleanup: async () => {} };
  return transcode(path, "gb18030", true);
}

async function transcode(path: string, encoding: string, detected: boolean): Promise<Utf8File> {
  const dir = await mkdtemp(join(tmpdir(), "lens-load-"));
  const out = join(dir, "utf8.csv");
  let line = 1;
  let bad = 0;
  const decoder = iconv.getDecoder(encoding);
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = decoder.write(chunk);
      if (bad === 0) {
        const at = text.indexOf("\uFFFD");
        if (at >= 0) bad = line + countNewlines(text.slice(0, at));
      }
      line += countNewlines(text);
      done(null, Buffer.from(text, "utf8"));
    },
    flush(done) {
      const rest = decoder.end() ?? "";
      if (bad === 0 && rest.includes("\uFFFD")) bad = line;
      done(null, rest ? Buffer.from(rest, "utf8") : undefined);
    },
  });
  try {
    await pipeline(openBytes(path), check, createWriteStream(out));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new LoadError(path, `cannot be read: ${(error as Error).message}`);
  }
  if (bad > 0) {
    await rm(dir, { recursive: true, force: true });
    const problem = detected
      ? `is not valid UTF-8 and not GB18030 either (undecodable bytes at line ${bad})`
      : `does not decode as ${encoding} (undecodable bytes at line ${bad})`;
    throw new LoadError(path, `${problem}; save it as UTF-8 or declare its encoding in a --config file ("encoding": "gbk", "latin1", …)`);
  }
  return { path: out, encoding, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
