/*
 * The fan-out's transport floor on this machine: what moving the subscription benchmark's frames over loopback TCP
 * costs with nothing else in the way (no WebSocket framing, no JSON, no GraphQL, no event loop).
 *
 * A server process holds N accepted sockets; a client process holds their N peers and reads them with epoll. Each
 * "event" is one 400-byte frame (about a `next` frame of the fan-out) written to the 100 sockets of one machine
 * (socket i watches machine i % 100), at R events per second for S seconds. Every frame carries its send time;
 * the client reports delivery latency, and each side its CPU time (user + system) per frame.
 *
 *   cc -O2 -o /tmp/loopback-floor bench/loopback-floor.c && /tmp/loopback-floor [events/s=1000] [sockets=10000] [seconds=10]
 *
 * See bench/RESULTS.md, "The fan-out's transport floor".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FRAME 400
#define MACHINES 100
#define LATENCY_SLOTS 100000 /* 0.1 ms each: up to 10 s */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static void raise_fd_limit(void) {
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

static int client(struct sockaddr_in *address, int sockets, long expected) {
  int *fds = malloc(sizeof(int) * sockets);
  for (int i = 0; i < sockets; i++) {
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)address, sizeof *address)) return perror("client connect"), 1;
  }
  int ep = epoll_create1(0);
  for (int i = 0; i < sockets; i++) {
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
  }
  static long histogram[LATENCY_SLOTS + 1];
  static char buffer[1 << 16];
  long received = 0, split = 0;
  double cpu0 = cpu_seconds(), deadline = 0;
  struct epoll_event events[1024];
  while (received < expected) {
    int ready = epoll_wait(ep, events, 1024, 1000);
    if (ready == 0 && deadline == 0) deadline = now() + 5;
    if (deadline && now() > deadline) break;
    for (int j = 0; j < ready; j++) {
      ssize_t n = read(events[j].data.fd, buffer, sizeof buffer);
      if (n % FRAME) split++;
      for (ssize_t at = 0; at + FRAME <= n; at += FRAME) {
        double sent;
        memcpy(&sent, buffer + at, sizeof sent);
        long slot = (long)((now() - sent) * 1e4);
        histogram[slot > LATENCY_SLOTS ? LATENCY_SLOTS : slot]++;
        received++;
      }
    }
  }
  double cpu = cpu_seconds() - cpu0;
  long p50 = -1, p99 = -1, seen = 0;
  for (long s = 0; s <= LATENCY_SLOTS; s++) {
    seen += histogram[s];
    if (p50 < 0 && seen * 2 >= received) p50 = s;
    if (p99 < 0 && seen * 100 >= received * 99) p99 = s;
  }
  printf("client: received %ld of %ld frames (%ld reads not a whole number of frames), CPU %.2f s = %.2f us per frame; latency p50 %.1f ms, p99 %.1f ms\n",
         received, expected, split, cpu, cpu * 1e6 / (received ? received : 1), p50 / 10.0, p99 / 10.0);
  return received == expected ? 0 : 1;
}

int main(int argc, char **argv) {
  int rate = argc > 1 ? atoi(argv[1]) : 1000, sockets = argc > 2 ? atoi(argv[2]) : 10000, seconds = argc > 3 ? atoi(argv[3]) : 10;
  raise_fd_limit();
  int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t length = sizeof address;
  if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 4096)) return perror("listen"), 1;
  getsockname(listener, (struct sockaddr *)&address, &length);
  long expected = (long)rate * seconds * (sockets / MACHINES);
  pid_t child = fork();
  if (child == 0) return client(&address, sockets, expected);

  int *fds = malloc(sizeof(int) * sockets);
  for (int i = 0; i < sockets; i++) {
    if ((fds[i] = accept(listener, NULL, NULL)) < 0) return perror("accept"), 1;
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fds[i], F_SETFL, O_NONBLOCK);
  }
  char frame[FRAME];
  memset(frame, 'x', sizeof frame);
  long frames = 0, refused = 0, published = 0, total = (long)rate * seconds;
  double start = now(), cpu0 = cpu_seconds();
  while (published < total) {
    long due = (long)((now() - start) * rate);
    for (; published < due && published < total; published++) {
      int machine = published % MACHINES;
      double sent = now();
      memcpy(frame, &sent, sizeof sent);
      for (int i = machine; i < sockets; i += MACHINES) {
        if (write(fds[i], frame, FRAME) == FRAME) frames++;
        else refused++;
      }
    }
    usleep(500);
  }
  double cpu = cpu_seconds() - cpu0, elapsed = now() - start;
  printf("server: %d events/s to %d sockets for %.1f s: %ld frames written (%ld refused), CPU %.2f s = %.2f us per frame, %.0f%% of one CPU\n",
         rate, sockets, elapsed, frames, refused, cpu, cpu * 1e6 / frames, 100 * cpu / elapsed);
  int status;
  waitpid(child, &status, 0);
  return refused || !WIFEXITED(status) || WEXITSTATUS(status);
}
