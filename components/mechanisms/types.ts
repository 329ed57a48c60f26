// What the UI knows about a mechanism beyond lib/mechanisms.ts: how its edge looks, what its
// live state says in one line on the edge, and its detailed live view. One entry per
// mechanism in registry.ts; nothing else in the UI switches over mechanisms.
import type { ComponentType } from 'react';
import type { IconProps } from './icons';
import type { MechanismId } from '@/lib/mechanisms';
import type { ChanLive } from '../run/live';

/** How a send looks travelling along the edge. */
export type PacketStyle = 'byte' | 'message' | 'bolt' | 'token' | 'write';

export interface DetailProps {
  chan: ChanLive;
  /** Process id → the name the user gave it. */
  name: (proc: string) => string;
}

export interface MechanismView {
  id: MechanismId;
  /** CSS colour of the edge and its label (a CSS variable, so themes can tune it). */
  color: string;
  /** A short name for the edge label (the full name is in lib/mechanisms.ts). */
  short: string;
  Icon: ComponentType<IconProps>;
  packet: PacketStyle;
  /** Its live view needs the full width of the objects pane (a hex grid, a file's text). */
  wide?: boolean;
  /** A dashed edge for channels that carry no data path of their own (signals, semaphores). */
  dashed?: boolean;
  /**
   * The live state in a few words for the edge label, or null when there is nothing to say.
   * Who is blocked on the channel is added by the edge itself.
   */
  edgeState(chan: ChanLive, name: (proc: string) => string): string | null;
  /** The edge's words once the run has ended, when the last live state no longer holds. */
  endState?(chan: ChanLive, name: (proc: string) => string): string | null;
  Detail: ComponentType<DetailProps>;
}
