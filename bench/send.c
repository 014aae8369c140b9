/* The C baseline for rawframe's per-frame send(): a plain send() loop on a
 * bound AF_PACKET socket, the same 60-byte frame each time.
 * Usage: send <iface> <count>; prints frames per second. Built by
 * bench/run.ts with the machine's cc at bench time. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/if_packet.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int fd = socket(AF_PACKET, SOCK_RAW, 0);
  struct sockaddr_ll sll = {0};
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = if_nametoindex(argv[1]);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
    perror("socket/bind");
    return 1;
  }
  unsigned char frame[60] = {0};
  memset(frame, 0xff, 6);
  frame[6] = 0x02;
  frame[12] = 0x88;
  frame[13] = 0xb5;
  long count = atol(argv[2]);
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (long i = 0; i < count; i++) {
    if (send(fd, frame, sizeof frame, 0) < 0) {
      perror("send");
      return 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf("%.0f\n", count / seconds);
  return 0;
}
