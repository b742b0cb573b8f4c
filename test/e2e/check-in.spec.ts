import { expect, test } from './fixtures/station.js';

const LIN = '410105200203140223'; // 林晓雨 in assets/roster/sample-roster.json
const ZHANG = '410302200109270111'; // 张浩然, already confirmed
const NOT_IN_ROSTER = '11010519491231002X'; // valid GB 11643 example, not registered here

test('typing a citizen number shows the candidate on the staff screen and the kiosk', async ({ staff, kiosk }) => {
  await expect(kiosk.getByText('请等待工作人员办理')).toBeVisible();
  await staff.getByLabel('身份证号', { exact: true }).fill(LIN);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');

  const card = staff.getByTestId('candidate-card');
  await expect(card.locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(card.locator('[data-field=citizenId] dd')).toHaveText(LIN);
  await expect(card.locator('[data-field=candidateType] dd')).toHaveText('应届');
  await expect(card.locator('[data-field=major] dd')).toHaveText('计算机科学与技术');
  await expect(card.locator('[data-field=examCity] dd')).toHaveText('郑州市');
  await expect(staff.getByTestId('candidate-status')).toContainText('待确认');
  await expect(card.getByTestId('candidate-photo')).toBeVisible();
  await expect(staff.getByTestId('flow-stepper')).toHaveAttribute('data-step', 'verify-identity');
  await expect(staff.locator('[aria-current=step]')).toContainText('身份核验');

  const verify = kiosk.getByTestId('kiosk-verify');
  await expect(verify.getByText('请核对您的信息')).toBeVisible();
  await expect(verify.locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(verify.locator('[data-field=citizenId] dd')).toHaveText('410105********0223');
  await expect(verify.locator('[data-field=major] dd')).toHaveText('计算机科学与技术');
  await expect(verify.getByTestId('candidate-photo')).toBeVisible();

  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('您已确认信息无误');
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'checked');
  await expect(staff.getByTestId('kiosk-status')).toContainText('考生已确认信息无误');

  // The roster lives in the staff origin's database; the kiosk origin holds none.
  const staffDbs = await staff.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  const kioskDbs = await kiosk.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(staffDbs).toContain('xianchang-station');
  expect(kioskDbs).toEqual([]);

  // F2 starts the next candidate from anywhere, and the number field is ready for typing.
  await staff.keyboard.press('F2');
  await expect(staff.getByLabel('身份证号', { exact: true })).toHaveValue('');
  await expect(staff.getByLabel('身份证号', { exact: true })).toBeFocused();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'idle');
});

test('an already confirmed candidate needs acknowledging; the candidate can report wrong data', async ({ staff, kiosk }) => {
  await staff.getByLabel('身份证号', { exact: true }).fill(ZHANG);
  await staff.getByRole('button', { name: '查找' }).click();
  await expect(staff.getByTestId('needs-ack')).toContainText('该考生的确认状态为“已确认”');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'idle');
  await staff.getByRole('button', { name: '继续办理' }).click();
  await expect(staff.getByTestId('candidate-status')).toContainText('已确认');
  await kiosk.getByRole('button', { name: '信息有误' }).click();
  await expect(kiosk.getByRole('button', { name: '提交' })).toBeDisabled();
  await kiosk.getByLabel('报考专业').check();
  await kiosk.getByLabel('补充说明（可选）').fill('应为财务管理');
  await kiosk.getByRole('button', { name: '提交' }).click();
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('已通知工作人员');
  const status = staff.getByTestId('kiosk-status');
  await expect(status).toHaveAttribute('data-phase', 'reported');
  await expect(status).toContainText('报考专业：应为财务管理');

  // Staff correct the reported field; the kiosk shows the data again with the new value, and the candidate confirms.
  const row = staff.getByTestId('correction').locator('form[data-field=major]');
  await row.getByRole('textbox').fill('财务管理');
  await row.getByRole('button', { name: '更正' }).click();
  await expect(staff.getByTestId('correction-resent')).toBeVisible();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await expect(kiosk.getByTestId('kiosk')).toContainText('财务管理');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await expect(status).toHaveAttribute('data-phase', 'checked');
  await expect(staff.getByTestId('candidate-card')).toContainText('财务管理');
});

test('malformed and unknown citizen numbers get clear messages and nothing reaches the kiosk', async ({ staff, kiosk }) => {
  const input = staff.getByLabel('身份证号', { exact: true });
  const message = staff.getByTestId('lookup-message');
  const cases: [string, string][] = [
    ['', '请输入身份证号。'],
    ['41010520020314', '身份证号应为18位，当前为14位，请核对。'],
    ['410105200203140A23', '身份证号只能包含数字，最后一位可以是数字或X。'],
    ['410105200202300223', '身份证号中的出生日期 20020230 不存在，请核对第7–14位。'],
    ['410105200203140224', '身份证号校验位不正确，请逐位核对号码（常见原因：输错或漏输一位）。'],
    ['410105020314022', '15位旧身份证号已停止使用，请使用第二代居民身份证。'],
  ];
  for (const [value, expected] of cases) {
    await input.fill(value);
    await input.press('Enter');
    await expect(message).toHaveText(expected);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
  }
  await input.fill(NOT_IN_ROSTER);
  await input.press('Enter');
  await expect(staff.getByTestId('not-found')).toContainText('未找到报名信息');
  await expect(staff.getByTestId('not-found')).toContainText('确认考生是否在本确认点报名');
  await expect(staff.getByTestId('flow-stepper')).toHaveAttribute('data-step', 'identify');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'idle');

  // Full-width digits and a lower-case x are normalised, not rejected.
  await input.fill('４１０１０５２００２０３１４０２２３');
  await input.press('Enter');
  await expect(staff.getByTestId('candidate-card')).toBeVisible();
});

test('the kiosk bridge refuses every staff call, and a page without the launch token gets nothing', async ({ kiosk, station, page }) => {
  const replies = await kiosk.evaluate(async (methods) => {
    const token = sessionStorage.getItem('station.token');
    const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token ?? '')}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const results: Record<string, unknown> = {};
    for (const [i, method] of methods.entries()) {
      ws.send(JSON.stringify({ type: 'call', id: i + 1, method, payload: {} }));
      results[method] = await new Promise((resolve) => {
        ws.onmessage = (m) => {
          const frame = JSON.parse(String(m.data)) as { type: string; reply?: unknown };
          if (frame.type === 'reply') resolve(frame.reply);
        };
      });
    }
    ws.close();
    return results;
  }, ['roster.loadSeed', 'kiosk.show', 'devices.list', 'devices.simulate', 'station.info', 'kiosk.current']);

  // The kiosk page, even holding its token, cannot open the staff window's origin.
  const staffHost = new URL(station.staffUrl).host;
  const crossOrigin = await kiosk.evaluate(
    (host) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${host}/api?token=${encodeURIComponent(sessionStorage.getItem('station.token') ?? '')}`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    staffHost,
  );
  expect(crossOrigin).toBe('refused');
  expect(new URL(station.kioskUrl).origin).not.toBe(new URL(station.staffUrl).origin);

  for (const method of ['roster.loadSeed', 'kiosk.show', 'devices.list', 'devices.simulate', 'station.info']) {
    expect(replies[method], method).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED', message: '当前窗口无权执行此操作。' } });
  }
  expect(replies['kiosk.current']).toEqual({ ok: true, value: { kind: 'idle' } });

  // The same pages without a token: the app says so and no connection is made.
  await page.goto(`${station.origin}/staff`);
  await expect(page.getByTestId('fatal')).toContainText('连接未授权');
  // A token from an earlier launch: told to use the new address, not left on a blank page.
  await page.goto('about:blank');
  await page.goto(`${station.origin}/staff#token=from-yesterday`);
  await expect(page.getByTestId('fatal')).toContainText('请使用启动时显示的新地址打开本页面');
  const refused = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/api?token=guess`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
  );
  expect(refused).toBe('refused');
});

test('device states from the host appear on the staff screen', async ({ staff, station }) => {
  await expect(staff.getByTestId('device-idcard-reader')).toContainText('就绪');
  await expect(staff.getByTestId('device-idcard-reader')).toContainText('模拟');
  // The fingerprint scanner is the simulated R30x behind the real driver: unplugging and replugging it shows.
  const scanner = staff.getByTestId('device-fingerprint-scanner');
  await expect(scanner).toHaveAttribute('data-state', 'ready');
  await expect(scanner).toContainText('模拟');
  await expect(station.staffCall('simulator.fingerprint', { action: 'unplug' })).resolves.toMatchObject({ ok: true });
  await expect(scanner).toHaveAttribute('data-state', 'disconnected');
  await expect(scanner.locator('.device__state')).toHaveText('未连接');
  await expect(station.staffCall('simulator.fingerprint', { action: 'replug' })).resolves.toMatchObject({ ok: true });
  await expect(scanner).toHaveAttribute('data-state', 'ready', { timeout: 10_000 });
  await expect(scanner.locator('.device__state')).toHaveText('就绪');
  await expect(staff.getByTestId('device-camera')).toBeVisible();
  // Invalid payloads over the same channel are refused with a typed error.
  await expect(station.staffCall('devices.simulate', { kind: 'fingerprint-scanner', state: 'exploded' })).resolves.toMatchObject({
    ok: false,
    error: { code: 'VALIDATION' },
  });
});
