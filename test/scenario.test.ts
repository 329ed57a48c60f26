// The scenario format: version 2 (channels linked to any number of processes), version 1
// opened migrated, and every error naming its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkScenarioShape, edgeEnds, endOf, procsAt, type Scenario } from '../lib/scenario';
import { validateScenario } from '../lib/validate';

const procs = ['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, program: '' }));
const placesOf = (input: unknown) => checkScenarioShape(input).errors.map((e) => `${e.place}: ${e.message}`);

describe('scenario version 2', () => {
  it('a version-1 file opens migrated: from and to become two links, an edge', () => {
    const { scenario, errors } = checkScenarioShape({ version: 1, title: 't', processes: procs, channels: [{ id: 'c1', from: 'a', to: 'b', mechanism: 'pipe', label: 'p' }] });
    assert.deepEqual(errors, []);
    assert.equal(scenario!.version, 2);
    assert.deepEqual(scenario!.channels, [{ id: 'c1', label: 'p', mechanism: 'pipe', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] }]);
    assert.deepEqual(edgeEnds(scenario!.channels[0]), { from: 'a', to: 'b' });
  });

  it("a version-1 file's errors name version 1's places", () => {
    assert.deepEqual(placesOf({ version: 1, processes: procs, channels: [{ id: 'c1', from: 'a', mechanism: 'pipe' }] }), ['channels[0].to: Invalid input: expected string, received undefined']);
    assert.deepEqual(placesOf({ version: 1, processes: procs, channels: [{ id: 'c1', from: 'a', to: 'zz', mechanism: 'pipe' }] }), ['channels[0].links[1].process: no process with id "zz"']);
  });

  it('an object linked to four processes; which end each is at', () => {
    const s = { version: 2, processes: procs, channels: [{ id: 'log', mechanism: 'fifo', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'from' }, { process: 'c', end: 'from' }, { process: 'd', end: 'to' }] }] };
    const { scenario, errors } = checkScenarioShape(s);
    assert.deepEqual(errors, []);
    const log = scenario!.channels[0];
    assert.deepEqual(procsAt(log, 'from'), ['a', 'b', 'c']);
    assert.equal(endOf(log, 'd'), 'to');
    assert.equal(endOf(log, 'zz'), undefined);
    // drawn as an object: more than one process at an end
    assert.equal(edgeEnds(log), null);
    // two processes with a position of its own: an object too
    assert.equal(edgeEnds({ links: log.links.slice(2), position: { x: 0, y: 0 } }), null);
    assert.deepEqual(edgeEnds({ links: log.links.slice(2) }), { from: 'c', to: 'd' });
  });

  it('links name their place: an unknown process, a process linked twice, a bad end', () => {
    const chan = (links: unknown[]) => ({ version: 2, processes: procs, channels: [{ id: 'm', mechanism: 'sem-named', links }] });
    assert.deepEqual(placesOf(chan([{ process: 'a', end: 'from' }, { process: 'ghost', end: 'from' }])), ['channels[0].links[1].process: no process with id "ghost"']);
    assert.deepEqual(placesOf(chan([{ process: 'a', end: 'from' }, { process: 'a', end: 'to' }])), ['channels[0].links[1].process: process "a" is linked to m twice: a process has one end of a channel']);
    assert.deepEqual(placesOf(chan([{ process: 'a', end: 'sideways' }])), ['channels[0].links[0].end: must be "from" or "to"']);
  });

  it('one process at an end where the kernel has one: a signal receiver, a bound datagram socket, a listening socket, a socketpair end', () => {
    const two = (mechanism: string, end: 'from' | 'to') => ({
      version: 2,
      processes: procs,
      channels: [{ id: 'x', mechanism, links: [{ process: 'a', end }, { process: 'b', end }, { process: 'c', end: end === 'from' ? 'to' : 'from' }] }],
    });
    assert.match(placesOf(two('signal', 'to'))[0], /^channels\[0\]\.links: a Signal has one process at its receiving end \(a, b are linked there\)$/);
    assert.deepEqual(placesOf(two('signal', 'from')), [], 'several senders of one signal are fine');
    assert.match(placesOf(two('udp', 'to'))[0], /^channels\[0\]\.links: a UDP has one process at its receiving end/);
    assert.deepEqual(placesOf(two('udp', 'from')), []);
    assert.deepEqual(placesOf(two('tcp', 'from')), [], 'any number of clients connect to one listening socket');
    assert.match(placesOf(two('tcp', 'to'))[0], /^channels\[0\]\.links: a TCP has one process at its receiving end/);
    assert.match(placesOf(two('socketpair', 'from'))[0], /^channels\[0\]\.links: a Socket pair has one process at its sending end/);
  });

  it('the checker: a process not linked, and the wrong end of an object with several writers', () => {
    const s: Scenario = {
      version: 2, title: 't', description: '',
      processes: [{ id: 'a', name: 'a', program: 'recv log as m' }, { id: 'b', name: 'b', program: 'send log "x"' }, { id: 'c', name: 'c', program: 'send log "y"' }, { id: 'd', name: 'd', program: 'send log "z"' }],
      channels: [{ id: 'log', mechanism: 'fifo', links: [{ process: 'b', end: 'from' }, { process: 'c', end: 'from' }, { process: 'd', end: 'to' }] }],
    };
    const v = validateScenario(s);
    assert.equal(v.ok, false);
    assert.deepEqual(!v.ok && v.errors.map((e) => `${e.place}: ${e.message}`), [
      "processes[0].program:1:6: process 'a' is not linked to channel 'log' (it joins b, c and d): draw a link from a to it",
      "processes[3].program:1:1: fifo 'log' carries data from b and c to d: d cannot send on it (d may recv / close)",
    ]);
  });
});
