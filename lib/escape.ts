/**
 * Text from a file or the wire is data: before it reaches a terminal,
 * every character that could move the cursor, end a line, change colours
 * or reorder what follows is written as an escape, as tcpdump does. Pure.
 *
 * @module
 */

/**
 * Control characters (C0, DEL, C1), format characters (bidirectional
 * overrides, zero-width joiners, ...), line and paragraph separators, and
 * lone surrogates (a name that is not valid UTF-16).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** Everything that needs no look: printable ASCII. */
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * `text` with every unsafe character written as `\xNN` (or `\u{NNNN}`
 * beyond Latin-1), so that it shows as one line and changes nothing on
 * the terminal. Printable text, ASCII or not, is kept as it is.
 *
 * @example
 * ```ts
 * import { printable } from "@rawframe/rawframe/format";
 * printable("eth\x1b[31m0\n"); // "eth\\x1b[31m0\\x0a"
 * printable("café"); // "café"
 * ```
 */
export function printable(text: string): string {
  if (PLAIN.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u{${code.toString(16)}}`;
  });
}

/** What JSON.stringify leaves as it is but a terminal would act on. */
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu;

/**
 * `JSON.stringify(value)`, with the characters it leaves raw that a
 * terminal would act on (DEL, C1 controls, format characters, line and
 * paragraph separators) written as `\uNNNN` escapes: the same JSON value,
 * safe to print. (JSON.stringify escapes C0 controls and lone surrogates
 * itself.)
 *
 * @example
 * ```ts
 * import { safeJson } from "@rawframe/rawframe/format";
 * safeJson({ iface: "a\u009b" }); // '{"iface":"a\\u009b"}'
 * ```
 */
export function safeJson(value: unknown): string {
  const json = JSON.stringify(value) ?? "null";
  if (PLAIN.test(json)) return json;
  return json.replace(JSON_UNSAFE, (c) => {
    let escaped = "";
    for (let i = 0; i < c.length; i++) {
      escaped += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
    }
    return escaped;
  });
}
