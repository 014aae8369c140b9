/**
 * Reading the fields of a layer to build: numbers in range, addresses in
 * text form, hex strings; each failure a {@linkcode LayerError} naming the
 * layer and field. Pure.
 *
 * @module
 */

import { LayerError } from "../errors.ts";

/** `value`, or `fallback` when absent; an integer from 0 to `max`. */
export function uint(
  layer: string,
  field: string,
  value: unknown,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 0 ||
    value > max
  ) {
    throw new LayerError(
      `${layer}.${field} must be a whole number from 0 to ${max}, not ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/** Lowercase or uppercase hex (colons allowed between bytes) as bytes. */
export function hexBytes(
  layer: string,
  field: string,
  value: unknown,
): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const text = typeof value === "string" ? value.replaceAll(":", "") : "";
  if (typeof value !== "string" || !/^([0-9a-fA-F]{2})*$/.test(text)) {
    throw new LayerError(
      `${layer}.${field} must be hex bytes (like "0a0b" or "0a:0b"), not ${
        JSON.stringify(value)
      }`,
    );
  }
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  }
  return bytes;
}

/** A dotted IPv4 address as 4 bytes. */
export function ipv4Bytes(
  layer: string,
  field: string,
  value: unknown,
): Uint8Array {
  const parts = typeof value === "string" ? value.split(".") : [];
  if (
    parts.length !== 4 ||
    !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
  ) {
    throw new LayerError(
      `${layer}.${field} must be an IPv4 address like 10.0.0.1, not ${
        JSON.stringify(value)
      }`,
    );
  }
  return Uint8Array.from(parts.map(Number));
}

/** An IPv6 address in RFC 4291 text form (`::`, an IPv4 tail) as 16 bytes. */
export function ipv6Bytes(
  layer: string,
  field: string,
  value: unknown,
): Uint8Array {
  const groups = typeof value === "string" ? ipv6Groups(value) : undefined;
  if (groups === undefined) {
    throw new LayerError(
      `${layer}.${field} must be an IPv6 address like 2001:db8::1, not ${
        JSON.stringify(value)
      }`,
    );
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** The eight 16-bit groups of an IPv6 address; undefined if malformed. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const side = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        try {
          const v4 = ipv4Bytes("", "", piece);
          out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        } catch {
          return undefined;
        }
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else return undefined;
    }
    return out;
  };
  const head = side(halves[0]);
  const tail = halves.length === 2 ? side(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array(missing).fill(0), ...tail];
}

/** A MAC or other hardware address in colon hex as bytes. */
export function hardwareBytes(
  layer: string,
  field: string,
  value: unknown,
): Uint8Array {
  if (
    typeof value !== "string" ||
    !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(value)
  ) {
    throw new LayerError(
      `${layer}.${field} must be a hardware address like 02:00:00:00:00:01, not ${
        JSON.stringify(value)
      }`,
    );
  }
  return hexBytes(layer, field, value);
}

/**
 * A TLV with a 16-bit type and a 16-bit length (DHCPv6 options, PPPoE
 * tags, CDP's TLVs): `length` counts the value, or with `wholeLength` the
 * 4-byte head too, as CDP counts it.
 */
export function wideTlv(
  what: string,
  typeField: "type" | "code",
  type: number | undefined,
  data: string | undefined,
  wholeLength = false,
): number[] {
  const value = hexBytes(what, "data", data ?? "");
  const length = value.length + (wholeLength ? 4 : 0);
  if (length > 0xffff) {
    throw new LayerError(
      `${what}.data is at most ${wholeLength ? 65531 : 65535} bytes`,
    );
  }
  const t = uint(what, typeField, type, 0xffff, 0);
  return [t >> 8, t & 0xff, length >> 8, length & 0xff, ...value];
}
