/* Prints the sizes and offsets of the structs ffi/structs.ts describes, as
 * JSON, straight from the kernel and glibc headers. tests/structs_test.ts
 * compiles and runs it and compares every number. */
#include <stddef.h>
#include <stdio.h>
#include <poll.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/filter.h>
#include <linux/if_packet.h>

#define F(s, f) printf("\"%s.%s\": %zu,\n", #s, #f, offsetof(struct s, f))
#define S(s) printf("\"%s.size\": %zu,\n", #s, sizeof(struct s))

int main(void) {
  printf("{\n");
  S(sockaddr_ll); F(sockaddr_ll, sll_family); F(sockaddr_ll, sll_protocol);
  F(sockaddr_ll, sll_ifindex); F(sockaddr_ll, sll_hatype);
  F(sockaddr_ll, sll_pkttype); F(sockaddr_ll, sll_halen); F(sockaddr_ll, sll_addr);
  S(ifreq); F(ifreq, ifr_name); F(ifreq, ifr_hwaddr); F(ifreq, ifr_mtu); F(ifreq, ifr_flags);
  S(pollfd); F(pollfd, fd); F(pollfd, events); F(pollfd, revents);
  S(iovec); F(iovec, iov_base); F(iovec, iov_len);
  S(msghdr); F(msghdr, msg_name); F(msghdr, msg_namelen); F(msghdr, msg_iov);
  F(msghdr, msg_iovlen); F(msghdr, msg_control); F(msghdr, msg_controllen);
  F(msghdr, msg_flags);
  S(cmsghdr); F(cmsghdr, cmsg_len); F(cmsghdr, cmsg_level); F(cmsghdr, cmsg_type);
  S(tpacket_auxdata); F(tpacket_auxdata, tp_status); F(tpacket_auxdata, tp_len);
  F(tpacket_auxdata, tp_snaplen); F(tpacket_auxdata, tp_mac); F(tpacket_auxdata, tp_net);
  F(tpacket_auxdata, tp_vlan_tci); F(tpacket_auxdata, tp_vlan_tpid);
  S(tpacket_stats); F(tpacket_stats, tp_packets); F(tpacket_stats, tp_drops);
  S(sock_filter); F(sock_filter, code); F(sock_filter, jt); F(sock_filter, jf); F(sock_filter, k);
  S(sock_fprog); F(sock_fprog, len); F(sock_fprog, filter);
  S(packet_mreq); F(packet_mreq, mr_ifindex); F(packet_mreq, mr_type);
  F(packet_mreq, mr_alen); F(packet_mreq, mr_address);
  S(timespec); F(timespec, tv_sec); F(timespec, tv_nsec);
  printf("\"cmsg_data\": %zu\n}\n", (size_t)CMSG_LEN(0));
  return 0;
}
