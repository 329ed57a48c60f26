// The errno values a program can name (`if errno == EAGAIN`): those IPC calls give. The C
// macro of the same name is what the compiled program compares with.

/** The variable a `try` statement sets: 0, or the errno of its failed call. */
export const ERRNO_VARIABLE = 'errno';

export const ERRNO_NAMES = [
  'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'EBADF', 'ECHILD', 'EAGAIN', 'EWOULDBLOCK',
  'ENOMEM', 'EACCES', 'EFAULT', 'EEXIST', 'EINVAL', 'EMFILE', 'ENOSPC', 'EFBIG', 'EPIPE', 'EDEADLK',
  'ENOMSG', 'EIDRM', 'EMSGSIZE', 'ENOTSOCK', 'EADDRINUSE', 'ECONNRESET', 'ENOTCONN', 'ECONNREFUSED',
  'ETIMEDOUT', 'EOVERFLOW',
] as const;

const NAMES: ReadonlySet<string> = new Set(ERRNO_NAMES);

export const isErrnoName = (name: string): boolean => NAMES.has(name);
