/**
 * The errors rawframe throws. Each one says what went wrong and what to do,
 * in one line, so the command line can print `error: <message>` as it is.
 *
 * Two families matter to callers:
 * - {@linkcode InputError}: the caller's input is malformed (a MAC with a
 *   typo, an EtherType out of range). Nothing was sent. The CLI exits 2.
 * - every other {@linkcode RawframeError}: the system refused (no
 *   permission, no such interface, interface down). The CLI exits 1.
 *
 * Every error that wraps a system failure keeps the original {@linkcode OsError}
 * as its `cause`.
 *
 * The base class and the bare system errors come from contract/errors.ts,
 * below `ffi/`, and are exported here with the rest.
 *
 * @module
 */

import { OsError, RawframeError } from "../contract/errors.ts";

export {
  FrameRejectedError,
  OsError,
  RawframeError,
} from "../contract/errors.ts";

/** The caller's input is malformed; nothing was sent or opened. */
export class InputError extends RawframeError {}

/**
 * An options object has a key the function does not take, or a value of
 * the wrong type: what TypeScript would catch, said at run time for
 * callers without a type checker.
 */
export class OptionError extends InputError {
  /** The function whose options were wrong, e.g. `"RawSocket.open"`. */
  readonly function: string;
  /** The option at fault, e.g. `"type"`. */
  readonly option: string;

  /** Creates the error for `option` of `fn`'s options. */
  constructor(fn: string, option: string, message: string) {
    super(message);
    this.function = fn;
    this.option = option;
  }
}

/** A MAC address could not be parsed. */
export class MacAddressError extends InputError {}

/** An EtherType could not be parsed or is outside 0x0600–0xFFFF. */
export class EtherTypeError extends InputError {}

/** An 802.1Q tag field is out of range (ID > 4094, PCP > 7). */
export class VlanError extends InputError {}

/** Bytes are not a valid Ethernet frame (too short, bad hex, ...). */
export class FrameError extends InputError {}

/**
 * A layer to build has a field out of range or malformed (a port above
 * 65535, an address that does not parse), or layers that cannot follow
 * each other; the message names the layer and the field.
 */
export class LayerError extends InputError {}

/** Raw sockets were refused: the process lacks CAP_NET_RAW. */
export class PermissionError extends OsError {}

/** No interface has the given name (in this network namespace). */
export class NoSuchInterfaceError extends RawframeError {
  /** The name that was asked for. */
  readonly iface: string;
  /** The names that do exist, for the message. */
  readonly available: readonly string[];

  /** Creates the error, listing the interfaces that do exist. */
  constructor(
    iface: string,
    available: readonly string[],
    options?: ErrorOptions,
  ) {
    const list = available.length > 0 ? available.join(", ") : "none";
    super(`no interface ${JSON.stringify(iface)}; available: ${list}`, options);
    this.iface = iface;
    this.available = available;
  }
}

/** The interface a socket was bound to was removed (or renamed). */
export class InterfaceRemovedError extends NoSuchInterfaceError {
  /** Creates the error naming the interface that went away. */
  constructor(
    iface: string,
    available: readonly string[],
    options?: ErrorOptions,
  ) {
    super(iface, available, options);
    this.message = `interface ${JSON.stringify(iface)} was removed`;
  }
}

/** The interface exists but is administratively down. */
export class InterfaceDownError extends RawframeError {
  /** The interface's name. */
  readonly iface: string;

  /** Creates the error, naming the command that brings the interface up. */
  constructor(iface: string, options?: ErrorOptions) {
    super(
      `interface ${
        JSON.stringify(iface)
      } is down; bring it up with: ip link set ${iface} up`,
      options,
    );
    this.iface = iface;
  }
}

/** A frame is larger than the interface's MTU allows. */
export class FrameTooLargeError extends RawframeError {
  /** The frame's size in bytes. */
  readonly size: number;
  /** The largest frame the interface takes, in bytes. */
  readonly max: number;

  /**
   * Creates the error with both sizes in the message, after `which` (such
   * as `frame 3 of "x.pcap"`) when given.
   */
  constructor(
    iface: string,
    size: number,
    max: number,
    mtu: number,
    options?: ErrorOptions & { which?: string },
  ) {
    super(
      `${
        options?.which ? `${options.which}: ` : ""
      }frame of ${size} bytes is larger than ${
        JSON.stringify(iface)
      } allows: at most ${max} bytes (MTU ${mtu} + ${max - mtu} header bytes)`,
      options,
    );
    this.size = size;
    this.max = max;
  }
}

/** A socket was used after it was closed. */
export class SocketClosedError extends RawframeError {
  /** Creates the error. */
  constructor() {
    super("the socket is closed");
  }
}

/** libpcap is needed (for a tcpdump filter expression) but not installed. */
export class LibpcapMissingError extends RawframeError {
  /** Creates the error naming the package to install. */
  constructor() {
    super(
      "--filter needs libpcap, which is not installed: sudo apt-get install libpcap0.8 (Debian, Ubuntu) or sudo dnf install libpcap (Fedora); --type, --src and --dst work without it",
    );
  }
}

/** The message for a refused raw socket: what is missing and what to do. */
export const PERMISSION_HINT =
  "raw sockets need CAP_NET_RAW: run with sudo, or grant it once with `sudo setcap cap_net_raw+ep <binary>`";
