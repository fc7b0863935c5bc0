/* The vendor reader's way of reading a tty: one read() system call per byte, nothing else.
   A floor for the agent's CPU on the same feed. Usage: byte-reader PTY */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY | O_NOCTTY);
    if (fd < 0) { perror(argv[1]); return 1; }
    unsigned char byte;
    unsigned long total = 0;
    while (read(fd, &byte, 1) == 1) total += byte;
    return (int)(total & 1);
}
