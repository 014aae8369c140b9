/**
 * The network interfaces of this network namespace, read through libc
 * (`if_nameindex` and the SIOCGIF* ioctls). No /sys reads, so it needs only
 * `--allow-ffi`, and answers for the caller's namespace.
 *
 * @module
 */

import { libc } from "../ffi/libc.ts";
import { check } from "../ffi/errno.ts";
import {
  AF_INET,
  IFF_LOOPBACK,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
  IFNAMSIZ,
  SIOCGIFFLAGS,
  SIOCGIFHWADDR,
  SIOCGIFMTU,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
} from "../ffi/constants.ts";
import { cString, encodeIfreq, IFREQ } from "../ffi/structs.ts";
import { formatMac } from "./frame.ts";
import { NoSuchInterfaceError } from "./errors.ts";

/** One network interface. */
export interface NetworkInterface {
  /** Its name, e.g. `eth0`. */
  name: string;
  /** Its kernel index. */
  index: number;
  /** Its hardware address, lowercase colon form (all zeros on loopback). */
  mac: string;
  /** Its MTU: the largest payload after the Ethernet header. */
  mtu: number;
  /** Administratively up (`ip link set X up`). */
  up: boolean;
  /** Carrier present: frames can actually flow. */
  running: boolean;
  /** The loopback interface. */
  loopback: boolean;
  /** In promiscuous mode. */
  promisc: boolean;
}

/**
 * Lists every interface, ordered by index.
 *
 * @example
 * ```ts ignore
 * import { listInterfaces } from "@rawframe/rawframe";
 * for (const i of listInterfaces()) console.log(i.name, i.mac, i.mtu);
 * ```
 */
export function listInterfaces(): NetworkInterface[] {
  return indexedNames().map(([index, name]) => describe(name, index));
}

/**
 * Looks one interface up by name.
 *
 * @throws {NoSuchInterfaceError} naming the interfaces that do exist.
 *
 * @example
 * ```ts ignore
 * import { getInterface } from "@rawframe/rawframe";
 * const { index, mac, mtu } = getInterface("eth0");
 * ```
 */
export function getInterface(name: string): NetworkInterface {
  const lib = libc();
  const index = name.length < IFNAMSIZ && !name.includes("\0")
    ? lib.if_nametoindex(cString(name))
    : 0;
  if (index === 0) {
    throw new NoSuchInterfaceError(name, interfaceNames());
  }
  return describe(name, index);
}

/**
 * The pseudo-interface `any`: bound to index 0, a socket sees every
 * interface of the namespace (it cannot send).
 */
export const ANY_INTERFACE: Readonly<NetworkInterface> = Object.freeze({
  name: "any",
  index: 0,
  mac: "00:00:00:00:00:00",
  mtu: 0,
  up: true,
  running: true,
  loopback: false,
  promisc: false,
});

/** The name of the interface with kernel index `index`, if there is one. */
export function interfaceName(index: number): string | undefined {
  const buffer = new Uint8Array(IFNAMSIZ);
  if (libc().if_indextoname(index, buffer) === null) return undefined;
  return new TextDecoder().decode(buffer.subarray(0, buffer.indexOf(0)));
}

/**
 * The names of all interfaces, ordered by index (cheaper than
 * {@linkcode listInterfaces}: no ioctls).
 */
export function interfaceNames(): string[] {
  return indexedNames().map(([, name]) => name);
}

/** [index, name] pairs from if_nameindex(), ordered by index. */
function indexedNames(): [number, string][] {
  const lib = libc();
  const list = lib.if_nameindex();
  if (list === null) return [];
  try {
    const view = new Deno.UnsafePointerView(list);
    const names: [number, string][] = [];
    // struct if_nameindex { unsigned int if_index; char *if_name; }: 16 bytes.
    for (let at = 0;; at += 16) {
      const index = view.getUint32(at);
      if (index === 0) break;
      const name = Deno.UnsafePointerView.getCString(view.getPointer(at + 8)!);
      names.push([index, name]);
    }
    return names.sort((a, b) => a[0] - b[0]);
  } finally {
    lib.if_freenameindex(list);
  }
}

/** Reads MAC, MTU and flags of one interface with ioctls. */
function describe(name: string, index: number): NetworkInterface {
  const lib = libc();
  const fd = check(lib.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
  try {
    const ask = (request: number, call: string): DataView => {
      const ifreq = encodeIfreq(name);
      check(lib.ioctl(fd, BigInt(request), ifreq), call);
      return new DataView(ifreq.buffer);
    };
    const hw = ask(SIOCGIFHWADDR, "ioctl(SIOCGIFHWADDR)");
    const mac = new Uint8Array(hw.buffer, IFREQ.hwaddr + 2, 6);
    const mtu = ask(SIOCGIFMTU, "ioctl(SIOCGIFMTU)").getInt32(IFREQ.mtu, true);
    const flags = ask(SIOCGIFFLAGS, "ioctl(SIOCGIFFLAGS)").getUint16(
      IFREQ.flags,
      true,
    );
    return {
      name,
      index,
      mac: formatMac(mac),
      mtu,
      up: (flags & IFF_UP) !== 0,
      running: (flags & IFF_RUNNING) !== 0,
      loopback: (flags & IFF_LOOPBACK) !== 0,
      promisc: (flags & IFF_PROMISC) !== 0,
    };
  } finally {
    lib.close(fd);
  }
}
