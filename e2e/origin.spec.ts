// socket.io only accepts pages of this server: a forged Origin is refused.
import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';

function attempt(url: string, origin: string | null): Promise<'connected' | 'refused'> {
  return new Promise((resolve) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, timeout: 5000, extraHeaders: origin ? { Origin: origin } : {} });
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', () => {
      socket.close();
      resolve('refused');
    });
  });
}

test('socket.io refuses a foreign Origin and accepts its own', async ({ baseURL }) => {
  expect(await attempt(baseURL!, 'http://evil.example')).toBe('refused');
  expect(await attempt(baseURL!, 'http://127.0.0.1.evil.example:3123')).toBe('refused');
  expect(await attempt(baseURL!, null)).toBe('refused');
  expect(await attempt(baseURL!, baseURL!)).toBe('connected');
});

test('the page itself connects (same origin)', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
});
