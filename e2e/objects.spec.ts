// Kernel objects drawn on their own, shared by any number of processes: add one, link
// three processes to it with the mouse and from the keyboard, run it for real.
import { expect, test } from '@playwright/test';
import { centerOf, drag, nodeState, open, run, terminal, typeProgram, waitEnded, type TestScenario } from './helpers';

/** Three processes, two on the left and one on the right: room for an object between them. */
const THREE: TestScenario = {
  version: 1,
  title: 'three',
  processes: [
    { id: 'p1', name: 'p1', program: '', position: { x: 0, y: 0 } },
    { id: 'p2', name: 'p2', program: '', position: { x: 0, y: 260 } },
    { id: 'p3', name: 'p3', program: '', position: { x: 620, y: 130 } },
  ],
  channels: [],
};

test('a FIFO with two writers and a reader: drawn as an object, linked, run', async ({ page }) => {
  // a user's whole path: drawing, typing three programs, a run, undo and a reload
  test.setTimeout(120_000);
  await open(page, { scenario: THREE });

  // the object: the toolbar's + Object, then its mechanism
  await page.getByTestId('add-object').click();
  await page.getByTestId('add-object-menu').getByTestId('mech-fifo').click();
  const fifo = page.getByTestId('object-node-fifo1');
  await expect(fifo).toBeVisible();
  await expect(fifo).toContainText('not linked yet');
  await expect(fifo).toBeInViewport({ ratio: 1 });

  // two writers by dragging from their right dot to the object; the reader from the object to it
  await drag(page, await centerOf(page, 'handle-out-p1'), await centerOf(page, 'object-in-fifo1'));
  await expect(page.getByTestId('mechanism-menu')).toHaveCount(0); // a link, not a new channel
  await drag(page, await centerOf(page, 'handle-out-p2'), await centerOf(page, 'object-in-fifo1'));
  await drag(page, await centerOf(page, 'object-out-fifo1'), await centerOf(page, 'handle-in-p3'));
  await expect(fifo).toContainText('p1, p2 → p3');

  await page.getByTestId('node-name-p1').click();
  // p1 keeps its end open until p2 has opened its own: else p3 would see end of file in between
  await typeProgram(page, 'p1', ['send fifo1 "from p1"', 'sleep 300']);
  await page.getByTestId('node-name-p2').click();
  await typeProgram(page, 'p2', ['sleep 50', 'send fifo1 "from p2"']);
  await page.getByTestId('node-name-p3').click();
  await typeProgram(page, 'p3', ['recv fifo1 as a', 'recv fifo1 as b', 'print "got {a}, then {b}"']);
  for (const p of ['p1', 'p2', 'p3']) await expect(page.getByTestId(`node-errors-${p}`)).toHaveCount(0);

  await run(page);
  await waitEnded(page);
  await expect(terminal(page, 'p3')).toContainText('got from p1, then from p2');
  for (const p of ['p1', 'p2', 'p3']) await expect(nodeState(page, p)).toHaveText('exited 0');
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');

  // unlinking a writer is one undoable step, and its program then names the problem
  await fifo.click();
  await page.getByRole('button', { name: 'Unlink p2' }).click();
  await expect(fifo).toContainText('p1 → p3');
  await expect(page.getByTestId('node-errors-p2')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(fifo).toContainText('p1, p2 → p3');

  // nothing lost on reload: the object, its place and its links
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('object-node-fifo1')).toContainText('p1, p2 → p3');
});

test('a semaphore shared by three, linked from the keyboard; an edge becomes an object', async ({ page }) => {
  await open(page, { scenario: THREE });
  await page.getByTestId('add-object').click();
  await page.getByTestId('add-object-menu').getByTestId('mech-sem-named').click();
  const sem = page.getByTestId('object-node-sem1');
  // the object's menu (right-click, or the keyboard's context-menu key) links processes
  for (const p of ['p1', 'p2', 'p3']) {
    await sem.click({ button: 'right' });
    await page.getByTestId('object-menu').getByTestId(`menu-link-${p}`).click();
  }
  await expect(sem).toContainText('p1, p2, p3');
  // the inspector lists each link and what it may do
  await sem.click();
  await expect(page.getByTestId('channel-links')).toContainText('p1');
  await expect(page.getByTestId('link-p3')).toContainText('wait, post, trywait');

  // two processes joined by an edge: the channel drawn as an object of its own takes a third
  await drag(page, await centerOf(page, 'handle-out-p1'), await centerOf(page, 'handle-in-p2'));
  await page.getByTestId('mechanism-menu').getByTestId('mech-mq-posix').click();
  await expect(page.getByTestId('edge-label-c1')).toBeVisible();
  await page.getByTestId('drawn-as-object').check();
  await expect(page.getByTestId('edge-label-c1')).toHaveCount(0);
  await expect(page.getByTestId('object-node-c1')).toContainText('p1, p2');
  await page.getByTestId('link-add').selectOption('p3 from');
  await expect(page.getByTestId('object-node-c1')).toContainText('p1, p2, p3');
});
