/* Prints the sizes and offsets of every struct ffi/ describes, as JSON,
 * straight from the kernel, glibc and libpcap headers.
 * tests/structs_test.ts compiles and runs it and compares every number. */
#define _GNU_SOURCE /* struct mmsghdr */
#include <stddef.h>
#include <stdio.h>
#include <poll.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <pcap/bpf.h>
#include <pcap/pcap.h>

#define F(s, f) printf("\"%s.%s\": %zu,\n", #s, #f, offsetof(struct s, f))
#define S(s) printf("\"%s.size\": %zu,\n", #s, sizeof(struct s))
/* A member inside a union or nested struct, printed under its own name. */
#define N(s, name, f) printf("\"%s.%s\": %zu,\n", #s, name, offsetof(struct s, f))
#define V(name, value) printf("\"%s\": %zu,\n", name, (size_t)(value))

int main(void) {
  printf("{\n");
  S(sockaddr_ll); F(sockaddr_ll, sll_family); F(sockaddr_ll, sll_protocol);
  F(sockaddr_ll, sll_ifindex); F(sockaddr_ll, sll_hatype);
  F(sockaddr_ll, sll_pkttype); F(sockaddr_ll, sll_halen); F(sockaddr_ll, sll_addr);
  S(ifreq); F(ifreq, ifr_name); F(ifreq, ifr_hwaddr); F(ifreq, ifr_mtu); F(ifreq, ifr_flags);
  S(if_nameindex); F(if_nameindex, if_index); F(if_nameindex, if_name);
  S(pollfd); F(pollfd, fd); F(pollfd, events); F(pollfd, revents);
  S(iovec); F(iovec, iov_base); F(iovec, iov_len);
  S(msghdr); F(msghdr, msg_name); F(msghdr, msg_namelen); F(msghdr, msg_iov);
  F(msghdr, msg_iovlen); F(msghdr, msg_control); F(msghdr, msg_controllen);
  F(msghdr, msg_flags);
  S(mmsghdr); F(mmsghdr, msg_hdr); F(mmsghdr, msg_len);
  S(cmsghdr); F(cmsghdr, cmsg_len); F(cmsghdr, cmsg_level); F(cmsghdr, cmsg_type);
  S(tpacket_auxdata); F(tpacket_auxdata, tp_status); F(tpacket_auxdata, tp_len);
  F(tpacket_auxdata, tp_snaplen); F(tpacket_auxdata, tp_mac); F(tpacket_auxdata, tp_net);
  F(tpacket_auxdata, tp_vlan_tci); F(tpacket_auxdata, tp_vlan_tpid);
  S(tpacket_stats); F(tpacket_stats, tp_packets); F(tpacket_stats, tp_drops);
  S(sock_filter); F(sock_filter, code); F(sock_filter, jt); F(sock_filter, jf); F(sock_filter, k);
  S(sock_fprog); F(sock_fprog, len); F(sock_fprog, filter);
  S(bpf_program); F(bpf_program, bf_len); F(bpf_program, bf_insns);
  S(pcap_pkthdr); F(pcap_pkthdr, caplen); F(pcap_pkthdr, len);
  S(bpf_insn); F(bpf_insn, code); F(bpf_insn, jt); F(bpf_insn, jf); F(bpf_insn, k);
  S(packet_mreq); F(packet_mreq, mr_ifindex); F(packet_mreq, mr_type);
  F(packet_mreq, mr_alen); F(packet_mreq, mr_address);
  S(timespec); F(timespec, tv_sec); F(timespec, tv_nsec);
  S(scm_timestamping); F(scm_timestamping, ts);
  S(sock_extended_err); F(sock_extended_err, ee_errno); F(sock_extended_err, ee_origin);
  F(sock_extended_err, ee_type); F(sock_extended_err, ee_code); F(sock_extended_err, ee_pad);
  F(sock_extended_err, ee_info); F(sock_extended_err, ee_data);
  /* Transmit timestamps: the constants ffi/constants.ts copies. */
  V("SO_TIMESTAMPING", SO_TIMESTAMPING); V("SCM_TIMESTAMPING", SCM_TIMESTAMPING);
  V("MSG_ERRQUEUE", MSG_ERRQUEUE); V("PACKET_TX_TIMESTAMP", PACKET_TX_TIMESTAMP);
  V("SOF_TIMESTAMPING_TX_SOFTWARE", SOF_TIMESTAMPING_TX_SOFTWARE);
  V("SOF_TIMESTAMPING_SOFTWARE", SOF_TIMESTAMPING_SOFTWARE);
  V("SOF_TIMESTAMPING_OPT_ID", SOF_TIMESTAMPING_OPT_ID);
  V("SOF_TIMESTAMPING_TX_SCHED", SOF_TIMESTAMPING_TX_SCHED);
  V("SOF_TIMESTAMPING_OPT_TSONLY", SOF_TIMESTAMPING_OPT_TSONLY);
  V("SO_EE_ORIGIN_TIMESTAMPING", SO_EE_ORIGIN_TIMESTAMPING);
  V("SCM_TSTAMP_SND", SCM_TSTAMP_SND); V("SCM_TSTAMP_SCHED", SCM_TSTAMP_SCHED);
  V("CLOCK_REALTIME", CLOCK_REALTIME);
  /* The rings. */
  S(tpacket_req); F(tpacket_req, tp_block_size); F(tpacket_req, tp_block_nr);
  F(tpacket_req, tp_frame_size); F(tpacket_req, tp_frame_nr);
  S(tpacket_req3); F(tpacket_req3, tp_block_size); F(tpacket_req3, tp_block_nr);
  F(tpacket_req3, tp_frame_size); F(tpacket_req3, tp_frame_nr);
  F(tpacket_req3, tp_retire_blk_tov); F(tpacket_req3, tp_sizeof_priv);
  F(tpacket_req3, tp_feature_req_word);
  F(tpacket_block_desc, version);
  N(tpacket_block_desc, "block_status", hdr.bh1.block_status);
  N(tpacket_block_desc, "num_pkts", hdr.bh1.num_pkts);
  N(tpacket_block_desc, "offset_to_first_pkt", hdr.bh1.offset_to_first_pkt);
  S(tpacket3_hdr); F(tpacket3_hdr, tp_next_offset); F(tpacket3_hdr, tp_sec);
  F(tpacket3_hdr, tp_nsec); F(tpacket3_hdr, tp_snaplen); F(tpacket3_hdr, tp_len);
  F(tpacket3_hdr, tp_status); F(tpacket3_hdr, tp_mac); F(tpacket3_hdr, tp_net);
  N(tpacket3_hdr, "tp_vlan_tci", hv1.tp_vlan_tci);
  N(tpacket3_hdr, "tp_vlan_tpid", hv1.tp_vlan_tpid);
  S(tpacket2_hdr); F(tpacket2_hdr, tp_status); F(tpacket2_hdr, tp_len);
  F(tpacket2_hdr, tp_snaplen); F(tpacket2_hdr, tp_mac); F(tpacket2_hdr, tp_net);
  /* Where tpacket_snd() reads a TX slot's frame without PACKET_TX_HAS_OFF. */
  V("tpacket2_tx_data", TPACKET2_HDRLEN - sizeof(struct sockaddr_ll));
  printf("\"cmsg_data\": %zu\n}\n", (size_t)CMSG_LEN(0));
  return 0;
}
