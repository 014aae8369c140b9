/**
 * pcapng blocks built byte by byte (little-endian), for files no tool
 * writes: hostile lengths, and every direction and reception type.
 *
 * @module
 */

/** A little-endian u32's four bytes. */
export const u32 = (n: number): number[] => [
  n & 255,
  (n >> 8) & 255,
  (n >> 16) & 255,
  n >>> 24,
];

/** `bytes` padded with zeros to a multiple of four. */
const padded = (bytes: number[]): number[] => [
  ...bytes,
  ...new Array((4 - (bytes.length % 4)) % 4).fill(0),
];

/** A pcapng block: type, total length, body (padded), length again. */
export function block(type: number, body: number[], length?: number): number[] {
  const total = length ?? 12 + padded(body).length;
  return [...u32(type), ...u32(total), ...padded(body), ...u32(total)];
}

/** An option: code, length, value (padded); code 0 ends the options. */
export function option(code: number, value: number[]): number[] {
  return [
    code & 255,
    code >> 8,
    value.length & 255,
    value.length >> 8,
    ...padded(value),
  ];
}

/** A section header block, little-endian, section length unknown. */
export const SHB: number[] = block(0x0a0d0d0a, [
  ...u32(0x1a2b3c4d),
  1,
  0,
  0,
  0,
  ...new Array(8).fill(0xff),
]);

/** An interface description block, with if_name when `name` is given. */
export const IDB = (linktype = 1, name?: string): number[] =>
  block(1, [
    linktype,
    0,
    0,
    0,
    ...u32(262144),
    ...(name === undefined
      ? []
      : [...option(2, [...new TextEncoder().encode(name)]), ...option(0, [])]),
  ]);

/**
 * An enhanced packet block whose captured length is `captured`, with
 * epb_flags when `flags` is given.
 */
export const EPB = (
  data: number[],
  captured: number = data.length,
  flags?: number,
): number[] =>
  block(6, [
    ...u32(0),
    ...u32(0),
    ...u32(0),
    ...u32(captured),
    ...u32(data.length),
    ...padded(data),
    ...(flags === undefined
      ? []
      : [...option(2, u32(flags)), ...option(0, [])]),
  ]);

/** A whole file: one interface named `name`, then each frame with its epb_flags. */
export function pcapngFile(
  name: string,
  frames: { bytes: Uint8Array; flags: number }[],
): Uint8Array {
  return new Uint8Array([
    ...SHB,
    ...IDB(1, name),
    ...frames.flatMap((f) => EPB([...f.bytes], f.bytes.length, f.flags)),
  ]);
}
