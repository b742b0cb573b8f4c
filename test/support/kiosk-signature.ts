import type { Page } from '@playwright/test';

/** The candidate signs the kiosk's pad with one wavy mouse stroke, as a person with a mouse would. */
export async function signWithMouse(kiosk: Page): Promise<void> {
  const pad = kiosk.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await kiosk.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
  await kiosk.mouse.down();
  for (let i = 1; i <= 30; i++) await kiosk.mouse.move(box.x + box.width * (0.1 + i * 0.025), box.y + box.height * (0.5 + 0.2 * Math.sin(i / 3)));
  await kiosk.mouse.up();
}
