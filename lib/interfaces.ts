/**
 * The network interfaces of this network namespace, read through libc
 * (`if_nameindex` and the SIOCGIF* ioctls). No /sys reads, so it needs only
 * `--allow-ffi`, and answers for the caller's namespace.
 *
 * @module
 */

import {
  indexedNames,
  indexOf,
  nameOf,
  queryInterface,
} from "../ffi/interfaces.ts";
import { formatMac } from "./frame.ts";
import { NoSuchInterfaceError, OsError } from "./errors.ts";

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
  const list: NetworkInterface[] = [];
  for (const [index, name] of indexedNames()) {
    try {
      list.push(describe(name, index));
    } catch (err) {
      // Removed between the listing and the query: it is not there.
      if (!(err instanceof OsError && err.code === "ENODEV")) throw err;
    }
  }
  return list;
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
  const index = indexOf(name);
  if (index === 0) throw new NoSuchInterfaceError(name, interfaceNames());
  try {
    return describe(name, index);
  } catch (err) {
    if (err instanceof OsError && err.code === "ENODEV") {
      throw new NoSuchInterfaceError(name, interfaceNames(), { cause: err });
    }
    throw err;
  }
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
  return nameOf(index);
}

/**
 * The names of all interfaces, ordered by index (cheaper than
 * {@linkcode listInterfaces}: no ioctls).
 */
export function interfaceNames(): string[] {
  return indexedNames().map(([, name]) => name);
}

function describe(name: string, index: number): NetworkInterface {
  const { mac, ...state } = queryInterface(name);
  return { name, index, mac: formatMac(mac), ...state };
}
