/**
 * Numeric constants from the Linux and glibc headers (x86_64 and aarch64
 * agree on all of them). Grouped by the header they come from.
 *
 * @module
 */

// <sys/socket.h>, <bits/socket_type.h>
/** Address family of packet sockets. */
export const AF_PACKET = 17;
/** Address family used only for the interface ioctls (needs no privilege). */
export const AF_INET = 2;
/** Socket type: whole frames, link-layer header included. */
export const SOCK_RAW = 3;
/** Socket type used for the interface ioctls. */
export const SOCK_DGRAM = 2;
/** Close-on-exec, so children never inherit our sockets. */
export const SOCK_CLOEXEC = 0o2000000;
/** Socket option level. */
export const SOL_SOCKET = 1;
/** Read and clear the socket's pending error. */
export const SO_ERROR = 4;
/** Attach a classic BPF program. */
export const SO_ATTACH_FILTER = 26;
/** Kernel receive timestamps as `struct timespec` control messages. */
export const SO_TIMESTAMPNS = 35;
/** The control-message type that carries SO_TIMESTAMPNS. */
export const SCM_TIMESTAMPNS = 35;
/** Transmit timestamps (and more) as SOF_TIMESTAMPING_* flags. */
export const SO_TIMESTAMPING = 37;
/** The control-message type that carries `struct scm_timestamping`. */
export const SCM_TIMESTAMPING = 37;
/** Receive without blocking. */
export const MSG_DONTWAIT = 0x40;
/** recvmsg: read the socket's error queue (where transmit timestamps wait). */
export const MSG_ERRQUEUE = 0x2000;
/** recvmsg: return the real length even when the buffer was smaller. */
export const MSG_TRUNC = 0x20;

// <linux/net_tstamp.h>, <linux/errqueue.h>
/** Stamp a frame when the driver hands it to the device (software). */
export const SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
/** Report software timestamps. */
export const SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
/** Number each sent frame, so a stamp says which frame it is for. */
export const SOF_TIMESTAMPING_OPT_ID = 1 << 7;
/** Stamp a frame when it enters the queueing layer (every device). */
export const SOF_TIMESTAMPING_TX_SCHED = 1 << 8;
/** Transmit stamps without a copy of the frame. */
export const SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;
/** `sock_extended_err.ee_origin` of a timestamp. */
export const SO_EE_ORIGIN_TIMESTAMPING = 4;
/** `ee_info` of a stamp taken by the driver. */
export const SCM_TSTAMP_SND = 0;
/** `ee_info` of a stamp taken on entering the queueing layer. */
export const SCM_TSTAMP_SCHED = 1;

// <time.h>
/** The wall clock, which kernel software timestamps also read. */
export const CLOCK_REALTIME = 0;

// <linux/if_ether.h>
/** Every protocol: used to bind a listening packet socket. */
export const ETH_P_ALL = 0x0003;

// <linux/if_packet.h>
/** Socket option level of packet sockets. */
export const SOL_PACKET = 263;
/** Join a membership (promiscuous mode) for the socket's lifetime. */
export const PACKET_ADD_MEMBERSHIP = 1;
/** Read and reset `struct tpacket_stats` (frames, drops). */
export const PACKET_STATISTICS = 6;
/** Select the ring layout (TPACKET_V2, TPACKET_V3). */
export const PACKET_VERSION = 10;
/** Map a receive ring. */
export const PACKET_RX_RING = 5;
/** Map a transmit ring. */
export const PACKET_TX_RING = 13;
/** Send straight to the driver, skipping the qdisc (and other taps). */
export const PACKET_QDISC_BYPASS = 20;
/** Control-message type of a transmit timestamp's `sock_extended_err`. */
export const PACKET_TX_TIMESTAMP = 16;
/** Ring layout with fixed-size frame slots (used for transmit). */
export const TPACKET_V2 = 1;
/** Ring layout with blocks of variable-size frames (used for receive). */
export const TPACKET_V3 = 2;
/** Ring status: the slot or block belongs to the kernel. */
export const TP_STATUS_KERNEL = 0;
/** Ring status: a receive block is ready for us. */
export const TP_STATUS_USER = 1;
/** Ring status: a transmit slot is free for us to fill. */
export const TP_STATUS_AVAILABLE = 0;
/** Ring status: a transmit slot is ready for the kernel to send. */
export const TP_STATUS_SEND_REQUEST = 1;
/** Ring status: the kernel rejected this transmit slot's frame. */
export const TP_STATUS_WRONG_FORMAT = 4;
/** packet_mreq.mr_type: promiscuous mode. */
export const PACKET_MR_PROMISC = 1;
/** Deliver `struct tpacket_auxdata` (VLAN tag, original length). */
export const PACKET_AUXDATA = 8;
/** tpacket_auxdata.tp_status: tp_vlan_tci holds a tag the kernel stripped. */
export const TP_STATUS_VLAN_VALID = 1 << 4;
/** tpacket_auxdata.tp_status: tp_vlan_tpid is valid. */
export const TP_STATUS_VLAN_TPID_VALID = 1 << 6;

// <linux/if_arp.h>
/** sll_hatype of Ethernet links. */
export const ARPHRD_ETHER = 1;
/** sll_hatype of the loopback link (which carries Ethernet headers). */
export const ARPHRD_LOOPBACK = 772;

// <sys/mman.h>
/** mmap protection: readable and writable. */
export const PROT_READ_WRITE = 0x1 | 0x2;
/** mmap flag: share the mapping with the kernel (the ring). */
export const MAP_SHARED = 0x01;

// <poll.h>
/** poll: data to read. */
export const POLLIN = 0x1;
/** poll: an error is pending on the descriptor. */
export const POLLERR = 0x8;

// <sys/eventfd.h>
/** eventfd: close-on-exec. */
export const EFD_CLOEXEC = 0o2000000;
/** eventfd: reads do not block. */
export const EFD_NONBLOCK = 0o4000;

// <linux/sockios.h>
/** Get an interface's flags. */
export const SIOCGIFFLAGS = 0x8913;
/** Get an interface's MTU. */
export const SIOCGIFMTU = 0x8921;
/** Get an interface's hardware address. */
export const SIOCGIFHWADDR = 0x8927;

// <net/if.h>
/** Interface flag: administratively up. */
export const IFF_UP = 0x1;
/** Interface flag: loopback. */
export const IFF_LOOPBACK = 0x8;
/** Interface flag: carrier present (operationally up). */
export const IFF_RUNNING = 0x40;
/** Interface flag: promiscuous. */
export const IFF_PROMISC = 0x100;
/** Longest interface name, terminating NUL included. */
export const IFNAMSIZ = 16;
