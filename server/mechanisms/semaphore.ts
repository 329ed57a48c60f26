// What both POSIX semaphores show: the value, from sem_getvalue(3) on the server's handle.

import { sys, type Ptr } from '../../native/index';

export function semState(sem: Ptr): { value: number } {
  return { value: sys.semGetValue(sem) };
}
