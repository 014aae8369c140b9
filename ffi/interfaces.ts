/**
 * Interface queries through libc: names and indexes (`if_nameindex`,
 * `if_nametoindex`, `if_indextoname`) and each interface's address, MTU and
 * flags (SIOCGIF* ioctls on an AF_INET socket, which needs no privilege).
 * They answer for the caller's network namespace and read no files.
 *
 * @module
 */

import { libc } from "./libc.ts";
import { check } from "./errno.ts";
import { native } from "./native/runtime.ts";
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
} from "./constants.ts";
import {
  cString,
  encodeIfreq,
  fromCString,
  IF_NAMEINDEX,
  IFREQ,
} from "./structs.ts";

/** What the kernel says about one interface. */
export interface InterfaceState {
  /** Hardware address, six bytes. */
  mac: Uint8Array;
  /** MTU in bytes. */
  mtu: number;
  /** IFF_UP: administratively up. */
  up: boolean;
  /** IFF_RUNNING: carrier present. */
  running: boolean;
  /** IFF_LOOPBACK. */
  loopback: boolean;
  /** IFF_PROMISC. */
  promisc: boolean;
}

/** The index of interface `name`, or 0 when there is none. */
export function indexOf(name: string): number {
  if (name.length >= IFNAMSIZ || name.includes("\0")) return 0;
  return libc().if_nametoindex(cString(name));
}

/** The name of interface `index`, or undefined when there is none. */
export function nameOf(index: number): string | undefined {
  const buffer = new Uint8Array(IFNAMSIZ);
  if (libc().if_indextoname(index, buffer) === null) return undefined;
  return fromCString(buffer);
}

/** Every interface as [index, name], ordered by index. */
export function indexedNames(): [number, string][] {
  const lib = libc();
  const list = lib.if_nameindex();
  if (list === null) return [];
  try {
    const names: [number, string][] = [];
    for (let at = 0;; at += IF_NAMEINDEX.size) {
      const entry = new DataView(native.view(list, IF_NAMEINDEX.size, at));
      const index = entry.getUint32(IF_NAMEINDEX.index, true);
      if (index === 0) break;
      const name = native.pointer(
        entry.getBigUint64(IF_NAMEINDEX.name, true),
      );
      if (name !== null) names.push([index, native.cString(name)]);
    }
    return names.sort((a, b) => a[0] - b[0]);
  } finally {
    lib.if_freenameindex(list);
  }
}

/**
 * Reads the address, MTU and flags of interface `name` with ioctls.
 *
 * @throws {OsError} when an ioctl fails (ENODEV: no such interface).
 */
export function queryInterface(name: string): InterfaceState {
  const lib = libc();
  const fd = check(lib.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket");
  try {
    const ask = (request: number, call: string): DataView => {
      const ifreq = encodeIfreq(name);
      check(lib.ioctl(fd, BigInt(request), ifreq), call);
      return new DataView(ifreq.buffer);
    };
    const hw = ask(SIOCGIFHWADDR, "ioctl(SIOCGIFHWADDR)");
    const mtu = ask(SIOCGIFMTU, "ioctl(SIOCGIFMTU)").getInt32(IFREQ.mtu, true);
    const flags = ask(SIOCGIFFLAGS, "ioctl(SIOCGIFFLAGS)")
      .getUint16(IFREQ.flags, true);
    return {
      // sa_data of the hwaddr sockaddr, after its 2-byte family.
      mac: new Uint8Array(hw.buffer.slice(IFREQ.hwaddr + 2, IFREQ.hwaddr + 8)),
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
