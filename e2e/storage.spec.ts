// A browser that refuses Web Storage (a third-party iframe with storage blocked: reading
// `window.localStorage` itself throws) still gets a working page: drawing, opening an
// example, running it, theme and speed; what would be saved lives in memory instead.
import { expect, test } from '@playwright/test';
import { nodeState, run, terminal, waitEnded, waitReady } from './helpers';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          throw new DOMException(`Failed to read the '${name}' property from 'Window': Access is denied for this document.`, 'SecurityError');
        },
      });
    }
  });
});

test('the page works with storage blocked: run pipe-hello, see its output, draw', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // nothing saved can be read: the first visit's scenario, pipe-hello
  await page.goto('/');
  await waitReady(page);
  await expect(page.getByTestId('scenario-title')).toHaveValue('Pipe: parent to child');
  await run(page);
  await expect(terminal(page, 'child')).toContainText('child read: hello');
  await waitEnded(page);
  await expect(nodeState(page, 'parent')).toHaveText('exited 0');

  // drawing and preferences still work for the life of the page
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(2);
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.dblclick(box.x + box.width * 0.5, box.y + box.height * 0.85);
  await expect(nodes).toHaveCount(3);
  await page.getByTestId('add-process').click();
  await expect(nodes).toHaveCount(4);
  await page.getByTestId('theme-button').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // an example opened by its address runs too
  await page.goto('/examples/fifo-server-client');
  await waitReady(page);
  await run(page);
  await waitEnded(page);
  expect(errors).toEqual([]);
});
