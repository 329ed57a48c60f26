// Class mode: a server that listens beyond this machine is open to a network, so it wants a
// code (IPCPG_CLASS_CODE) that students give once at /join; IPCPG_OPEN=1 says on purpose that
// the network is trusted (a lab) and no code is needed. IPCPG_PRESENTER_CODE, when set, is a
// second code whose holders alone may share a tab live.

import type { IncomingMessage } from 'node:http';
import { Identities, clientAddress } from './identity';

export interface ClassMode {
  code: string;
  presenterCode: string | null;
  identities: Identities;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Class mode from the environment (null: open), or why the server must not start. */
export function classModeFromEnv(env: NodeJS.ProcessEnv, listenHost: string): { ok: true; mode: ClassMode | null } | { ok: false; message: string } {
  const code = env.IPCPG_CLASS_CODE?.trim() || null;
  const presenterCode = env.IPCPG_PRESENTER_CODE?.trim() || null;
  if (presenterCode && !code) return { ok: false, message: 'IPCPG_PRESENTER_CODE is set without IPCPG_CLASS_CODE: set the class code too' };
  if (presenterCode && presenterCode === code) return { ok: false, message: 'IPCPG_PRESENTER_CODE must differ from IPCPG_CLASS_CODE, or every student would be the presenter' };
  if (code) return { ok: true, mode: { code, presenterCode, identities: new Identities(env.IPCPG_SECRET) } };
  if (isLoopback(listenHost) || env.IPCPG_OPEN === '1') return { ok: true, mode: null };
  return {
    ok: false,
    message: `HOST=${listenHost} listens beyond this machine, where anyone on the network could run processes here: set IPCPG_CLASS_CODE (the code students give at /join), or IPCPG_OPEN=1 for a trusted network with no code`,
  };
}

/**
 * Who a socket.io connection is, for quotas and rights: its joined identity (the edge let
 * only joined ones through) and address; the presenter's rights need the presenter code when
 * there is one.
 */
export function whoInClass(mode: ClassMode): (req: IncomingMessage) => { identity: string | null; ip: string | null; presenter: boolean } {
  return (req) => {
    const id = mode.identities.fromRequest(req);
    return { identity: id?.id ?? null, ip: clientAddress(req), presenter: mode.presenterCode ? !!id?.presenter : true };
  };
}
