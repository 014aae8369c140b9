/**
 * What a failed system call on a socket means for its user, in one place
 * for every send and receive path: the kernel's errno becomes the typed
 * error that says what happened, with the original OsError as its cause.
 *
 * @module
 */

import {
  FrameTooLargeError,
  InterfaceDownError,
  InterfaceRemovedError,
  OsError,
  PERMISSION_HINT,
  PermissionError,
} from "./errors.ts";
import {
  interfaceName,
  interfaceNames,
  type NetworkInterface,
} from "./interfaces.ts";
import { maxFrameSize } from "./frame_size.ts";

/**
 * Explains `err` for a socket on `iface` (sending `frame`, if given):
 * EPERM/EACCES a missing capability (with what to do), ENETDOWN the
 * interface going down (or away), ENODEV/ENXIO a deleted interface,
 * EMSGSIZE a frame too large. Anything else passes unchanged.
 */
export function explainSocketError(
  err: unknown,
  iface: NetworkInterface,
  frame?: Uint8Array,
): unknown {
  if (!(err instanceof OsError)) return err;
  const options = { cause: err };
  switch (err.code) {
    case "EPERM":
    case "EACCES":
      return new PermissionError(
        err.call,
        err.errno,
        err.code,
        err.message,
        PERMISSION_HINT,
      );
    case "ENETDOWN":
      if (stillThere(iface)) return new InterfaceDownError(iface.name, options);
      return new InterfaceRemovedError(iface.name, interfaceNames(), options);
    case "ENODEV":
    case "ENXIO":
      return new InterfaceRemovedError(iface.name, interfaceNames(), options);
    case "EMSGSIZE":
      if (frame !== undefined) {
        const max = maxFrameSize(iface, frame);
        return new FrameTooLargeError(
          iface.name,
          frame.length,
          max,
          iface.mtu,
          options,
        );
      }
  }
  return err;
}

/** Whether `iface` still exists under its name ("any" always does). */
export function stillThere(iface: NetworkInterface): boolean {
  return iface.index === 0 || interfaceName(iface.index) === iface.name;
}

/**
 * Throws when `iface` is gone: the check a socket makes while its link
 * is down, since a link deleted while down sends the socket no error.
 *
 * @throws {InterfaceRemovedError}
 */
export function assertStillThere(iface: NetworkInterface): void {
  if (!stillThere(iface)) {
    throw new InterfaceRemovedError(iface.name, interfaceNames());
  }
}
