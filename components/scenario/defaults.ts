// The scenario a first visit starts with: the classic pipe from a parent to a child.
import { SCENARIO_VERSION, twoLinks, type Scenario } from '@/lib/scenario';

export const STARTER: Scenario = {
  version: SCENARIO_VERSION,
  title: 'Pipe: parent to child',
  description: 'The parent writes into a pipe; the child reads and prints it.',
  processes: [
    { id: 'parent', name: 'parent', program: 'send c1 "hello"      # write(pipefd[1], "hello", 5)\nclose c1             # the child now sees end of file\n', position: { x: 0, y: 0 } },
    { id: 'child', name: 'child', program: 'recv c1 5 as buf     # read(pipefd[0], buf, 5)\nprint "child read: {buf}"\n', position: { x: 480, y: 0 } },
  ],
  channels: [{ id: 'c1', mechanism: 'pipe', links: twoLinks('parent', 'child') }],
};

export const EMPTY: Scenario = { version: SCENARIO_VERSION, title: 'Untitled', description: '', processes: [], channels: [] };
