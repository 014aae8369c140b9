/* The C baselines for rawframe's senders, on a bound AF_PACKET socket, the
 * same 60-byte frame each time:
 *   send <iface> <count>            a plain send() loop (vs sock.send())
 *   send <iface> <count> mmsg       sendmmsg() in batches of 64 (vs a
 *                                   `rawframe send --count N` flood)
 * Prints frames per second. Built by bench/run.ts with the machine's cc. */
#define _GNU_SOURCE
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/if_packet.h>

#define BATCH 64

static int send_loop(int fd, unsigned char *frame, long count) {
  for (long i = 0; i < count; i++) {
    if (send(fd, frame, 60, 0) < 0) return -1;
  }
  return 0;
}

static int sendmmsg_loop(int fd, unsigned char *frame, long count) {
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = frame;
    iov[i].iov_len = 60;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  for (long sent = 0; sent < count;) {
    long left = count - sent;
    int n = sendmmsg(fd, msgs, left < BATCH ? (int)left : BATCH, 0);
    if (n < 0) return -1;
    sent += n;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
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
  int mmsg = argc > 3 && strcmp(argv[3], "mmsg") == 0;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  if ((mmsg ? sendmmsg_loop : send_loop)(fd, frame, count) < 0) {
    perror(mmsg ? "sendmmsg" : "send");
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf("%.0f\n", count / seconds);
  return 0;
}
