/**
 * gzip-compressed captures (`capture.pcap.gz`, as tshark and Wireshark
 * read them), known by their magic number, not their name: the chunks
 * of a file, inflated as they stream in (DecompressionStream, a web
 * standard every runtime has), so memory stays flat. A decompression
 * bomb is refused once it has inflated past what a capture could
 * compress to.
 *
 * @module
 */

import { FrameError, RawframeError } from "./errors.ts";

/** gzip's magic number: 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflated bytes for each compressed one beyond which a stream is a bomb.
 * Deflate's own limit is 1,032 (runs of one byte); the most regular
 * capture measured, 2,000,000 identical frames at one timestamp,
 * inflates 294 to one, and tcpdump's test captures at most 326.
 */
export const BOMB_RATIO = 1000;
/** Compressed bytes inflated at a time: at most about 4 MiB come of them. */
const PIECE = 4096;

/** Below this much inflated, no stream is called a bomb. */
export const BOMB_FLOOR = 16 * 1024 * 1024;

/**
 * The chunks of a file, inflated when it is gzip-compressed and passed
 * on as they are when not. Each chunk may be the same buffer filled
 * again (as `chunks` may hand them).
 *
 * @throws {FrameError} for a damaged gzip stream or a bomb.
 */
export async function* inflated(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const source = chunks[Symbol.asyncIterator]();
  try {
    const first = await source.next();
    if (first.done) return;
    if (!isGzip(first.value)) {
      yield first.value;
      for (
        let next = await source.next();
        !next.done;
        next = await source.next()
      ) {
        yield next.value;
      }
      return;
    }
    yield* inflate(first.value, source);
  } finally {
    await source.return?.();
  }
}

/** The inflated stream of `first` and what `source` yields after it. */
async function* inflate(
  first: Uint8Array,
  source: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const stream = new DecompressionStream("gzip");
  const writer = stream.writable.getWriter();
  let compressed = 0;
  const feeding = (async () => {
    try {
      for (let chunk: Uint8Array | undefined = first; chunk !== undefined;) {
        // In small pieces: what one piece inflates to is held at once
        // (up to 1,032 times its size). Copied: the caller may fill the
        // same buffer again.
        for (let at = 0; at < chunk.length; at += PIECE) {
          const piece = chunk.slice(at, at + PIECE);
          compressed += piece.length;
          await writer.write(piece);
        }
        const next = await source.next();
        chunk = next.done ? undefined : next.value;
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
      throw error;
    }
  })();
  feeding.catch(() => {}); // its error reaches the reader too
  const reader = stream.readable.getReader();
  let out = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read().catch(damaged);
      if (done) break;
      out += value.length;
      if (out > BOMB_FLOOR && out > BOMB_RATIO * compressed) {
        throw new FrameError(
          `gzip stream inflates more than ${BOMB_RATIO} times its size (${out} bytes from ${compressed}): a decompression bomb, not a capture`,
        );
      }
      yield value;
    }
    await feeding;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * A damaged stream's error as a FrameError (Deno says TypeError, Node a
 * zlib Error); ours (reading the file, a bomb) as they are.
 */
function damaged(error: unknown): never {
  if (error instanceof RawframeError || !(error instanceof Error)) throw error;
  throw new FrameError(`damaged gzip stream: ${error.message}`, {
    cause: error,
  });
}
