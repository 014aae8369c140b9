import { assertEquals } from "./assert.ts";
import {
  CMSGHDR,
  decodeSockaddrLl,
  encodeIfreq,
  encodePacketMreq,
  encodePollfds,
  encodeSockaddrLl,
  encodeSockFilters,
  IFREQ,
  IOVEC,
  MSGHDR,
  PACKET_MREQ,
  POLLFD,
  SOCK_FILTER,
  SOCK_FPROG,
  SOCKADDR_LL,
  TIMESPEC,
  TPACKET_AUXDATA,
  TPACKET_STATS,
} from "../ffi/structs.ts";
import { hex } from "./helpers.ts";

/** Compiles tests/offsets.c with the machine's cc and returns its table. */
async function headerLayouts(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir();
  try {
    const binary = `${dir}/offsets`;
    const source = new URL("./offsets.c", import.meta.url).pathname;
    const cc = await new Deno.Command("cc", { args: ["-o", binary, source] })
      .output();
    if (!cc.success) throw new Error(new TextDecoder().decode(cc.stderr));
    const out = await new Deno.Command(binary).output();
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("every struct offset and size matches the kernel and glibc headers", async () => {
  const c = await headerLayouts();
  const ours: Record<string, number> = {
    "sockaddr_ll.size": SOCKADDR_LL.size,
    "sockaddr_ll.sll_family": SOCKADDR_LL.family,
    "sockaddr_ll.sll_protocol": SOCKADDR_LL.protocol,
    "sockaddr_ll.sll_ifindex": SOCKADDR_LL.ifindex,
    "sockaddr_ll.sll_hatype": SOCKADDR_LL.hatype,
    "sockaddr_ll.sll_pkttype": SOCKADDR_LL.pkttype,
    "sockaddr_ll.sll_halen": SOCKADDR_LL.halen,
    "sockaddr_ll.sll_addr": SOCKADDR_LL.addr,
    "ifreq.size": IFREQ.size,
    "ifreq.ifr_name": IFREQ.name,
    "ifreq.ifr_hwaddr": IFREQ.hwaddr,
    "ifreq.ifr_mtu": IFREQ.mtu,
    "ifreq.ifr_flags": IFREQ.flags,
    "pollfd.size": POLLFD.size,
    "pollfd.fd": POLLFD.fd,
    "pollfd.events": POLLFD.events,
    "pollfd.revents": POLLFD.revents,
    "iovec.size": IOVEC.size,
    "iovec.iov_base": IOVEC.base,
    "iovec.iov_len": IOVEC.len,
    "msghdr.size": MSGHDR.size,
    "msghdr.msg_name": MSGHDR.name,
    "msghdr.msg_namelen": MSGHDR.namelen,
    "msghdr.msg_iov": MSGHDR.iov,
    "msghdr.msg_iovlen": MSGHDR.iovlen,
    "msghdr.msg_control": MSGHDR.control,
    "msghdr.msg_controllen": MSGHDR.controllen,
    "msghdr.msg_flags": MSGHDR.flags,
    "cmsghdr.size": CMSGHDR.size,
    "cmsghdr.cmsg_len": CMSGHDR.len,
    "cmsghdr.cmsg_level": CMSGHDR.level,
    "cmsghdr.cmsg_type": CMSGHDR.type,
    "tpacket_auxdata.size": TPACKET_AUXDATA.size,
    "tpacket_auxdata.tp_status": TPACKET_AUXDATA.status,
    "tpacket_auxdata.tp_len": TPACKET_AUXDATA.len,
    "tpacket_auxdata.tp_snaplen": TPACKET_AUXDATA.snaplen,
    "tpacket_auxdata.tp_mac": TPACKET_AUXDATA.mac,
    "tpacket_auxdata.tp_net": TPACKET_AUXDATA.net,
    "tpacket_auxdata.tp_vlan_tci": TPACKET_AUXDATA.vlanTci,
    "tpacket_auxdata.tp_vlan_tpid": TPACKET_AUXDATA.vlanTpid,
    "tpacket_stats.size": TPACKET_STATS.size,
    "tpacket_stats.tp_packets": TPACKET_STATS.packets,
    "tpacket_stats.tp_drops": TPACKET_STATS.drops,
    "sock_filter.size": SOCK_FILTER.size,
    "sock_filter.code": SOCK_FILTER.code,
    "sock_filter.jt": SOCK_FILTER.jt,
    "sock_filter.jf": SOCK_FILTER.jf,
    "sock_filter.k": SOCK_FILTER.k,
    "sock_fprog.size": SOCK_FPROG.size,
    "sock_fprog.len": SOCK_FPROG.len,
    "sock_fprog.filter": SOCK_FPROG.filter,
    "packet_mreq.size": PACKET_MREQ.size,
    "packet_mreq.mr_ifindex": PACKET_MREQ.ifindex,
    "packet_mreq.mr_type": PACKET_MREQ.type,
    "packet_mreq.mr_alen": PACKET_MREQ.alen,
    "packet_mreq.mr_address": PACKET_MREQ.address,
    "timespec.size": TIMESPEC.size,
    "timespec.tv_sec": TIMESPEC.sec,
    "timespec.tv_nsec": TIMESPEC.nsec,
    "cmsg_data": CMSGHDR.size,
  };
  assertEquals(ours, c);
});

Deno.test("sockaddr_ll is encoded byte for byte: family host order, protocol network order", () => {
  const bytes = encodeSockaddrLl(0x0003, 7);
  assertEquals(
    hex(bytes),
    "1100" + "0003" + "07000000" + "0000" + "00" + "00" + "0000000000000000",
  );
  const back = decodeSockaddrLl(Uint8Array.from([
    ...[0x11, 0x00, 0x88, 0xb5, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x04, 0x06],
    ...new Uint8Array(8),
  ]));
  assertEquals(back, { protocol: 0x88b5, ifindex: 2, hatype: 1, pkttype: 4 });
});

Deno.test("ifreq carries the NUL-terminated name, cut to 15 bytes", () => {
  const bytes = encodeIfreq("veth0");
  assertEquals(bytes.length, 40);
  assertEquals(hex(bytes.subarray(0, 6)), "766574683000");
  assertEquals(encodeIfreq("a-very-long-interface-name")[15], 0);
});

Deno.test("pollfd, sock_filter and packet_mreq encode in native order", () => {
  assertEquals(
    hex(encodePollfds([3, 4], 1)),
    "0300000001000000" + "0400000001000000",
  );
  assertEquals(
    hex(
      encodeSockFilters([{ code: 0x28, jt: 1, jf: 2, k: 12 }, {
        code: 0x06,
        jt: 0,
        jf: 0,
        k: 0xfffff004,
      }]),
    ),
    "280001020c000000" + "0600000004f0ffff",
  );
  assertEquals(
    hex(encodePacketMreq(5, 1)),
    "0500000001000000" + "0000000000000000",
  );
});
