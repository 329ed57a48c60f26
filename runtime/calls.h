/* The calls the runtime reports, by number: the server names them from lib/wire.ts, which
 * lists them in this order (a test compares the two lists). X(name) per call. */
#define IPCPG_CALLS \
    X(none) X(read) X(write) X(pread) X(send) X(recv) X(sendto) X(recvfrom) \
    X(accept) X(connect) X(socket) X(open) X(close) X(lseek) X(fstat) X(fcntl) \
    X(msgsnd) X(msgrcv) X(mq_send) X(mq_receive) X(mq_open) \
    X(sem_wait) X(sem_post) X(sem_trywait) X(sem_open) \
    X(kill) X(pause) X(sigsuspend) X(sigprocmask) X(nanosleep) X(sigaction) \
    X(shmat) X(mmap) X(shm_open) \
    X(alarm) X(mq_setattr) X(poll) \
    X(sendmsg) X(recvmsg) X(fork) X(waitpid)

enum ipcpg_call {
#define X(n) IPCPG_CALL_##n,
    IPCPG_CALLS
#undef X
    IPCPG_NCALLS
};
