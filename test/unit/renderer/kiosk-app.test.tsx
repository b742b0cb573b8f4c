// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationClient } from '../../../core/api/client.js';
import type { KioskResponse, KioskView } from '../../../core/contract/kiosk.js';
import { ValidationError } from '../../../core/errors/station-error.js';
import { KioskApp } from '../../../renderer/kiosk/KioskApp.js';
import { createKioskStore } from '../../../renderer/kiosk/stores/kiosk-store.js';
import { toKioskCandidate } from '../../../renderer/staff/services/kiosk-view.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';

afterEach(cleanup);

const SESSION = '5a0e7c1e-2b0c-4d36-9a55-0f2f4f0f8c11';
const view: KioskView = { kind: 'verify-info', sessionId: SESSION, candidate: toKioskCandidate(sampleEntry(LIN)) };

function setup(reject?: Error) {
  const sent: KioskResponse[] = [];
  const api = {
    call: (async (_method: string, payload: unknown) => {
      if (reject) throw reject;
      sent.push(payload as KioskResponse);
      return { ok: true };
    }) as StationClient<'kiosk'>['call'],
  };
  const store = createKioskStore(api);
  store.setState({ connection: 'open' });
  render(<KioskApp store={store} />);
  return { store, sent };
}

describe('kiosk window', () => {
  it('waits while idle, then shows the candidate their own data with the number masked', () => {
    const { store } = setup();
    expect(screen.getByText('请等待工作人员办理')).toBeTruthy();
    act(() => store.getState().showView(view));
    expect(screen.getByText('请核对您的信息')).toBeTruthy();
    expect(screen.getByText('林晓雨')).toBeTruthy();
    expect(screen.getByText('410105********0223')).toBeTruthy();
    expect(screen.queryByText(LIN)).toBeNull();
    expect(screen.getByText('应届')).toBeTruthy();
  });

  it('sends a confirmation for the session on screen', async () => {
    const { store, sent } = setup();
    act(() => store.getState().showView(view));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '信息无误' })));
    expect(sent).toEqual([{ kind: 'confirm', sessionId: SESSION }]);
    expect(screen.getByTestId('kiosk-done').textContent).toContain('您已确认信息无误');
  });

  it('reports chosen fields with a note, and needs at least one of them', async () => {
    const { store, sent } = setup();
    act(() => store.getState().showView(view));
    fireEvent.click(screen.getByRole('button', { name: '信息有误' }));
    const submit = screen.getByRole('button', { name: '提交' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('姓名'));
    fireEvent.click(screen.getByLabelText('考点所在地'));
    fireEvent.change(screen.getByLabelText('补充说明（可选）'), { target: { value: '  名字是“晓宇”  ' } });
    expect(submit.disabled).toBe(false);
    await act(async () => fireEvent.click(submit));
    expect(sent).toEqual([{ kind: 'report-error', sessionId: SESSION, fields: ['name', 'examCity'], note: '名字是“晓宇”' }]);
    expect(screen.getByTestId('kiosk-done').textContent).toContain('已通知工作人员');
  });

  it('shows the host refusal in Chinese and lets the candidate try again', async () => {
    const { store } = setup(new ValidationError('stale', '本次确认已结束，请等待工作人员办理。'));
    act(() => store.getState().showView(view));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '信息无误' })));
    expect(screen.getByRole('alert').textContent).toBe('本次确认已结束，请等待工作人员办理。');
    expect((screen.getByRole('button', { name: '信息无误' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a new view from staff starts over', async () => {
    const { store } = setup();
    act(() => store.getState().showView(view));
    fireEvent.click(screen.getByRole('button', { name: '信息有误' }));
    act(() => store.getState().showView({ kind: 'idle' }));
    expect(screen.getByText('请等待工作人员办理')).toBeTruthy();
    expect(store.getState()).toMatchObject({ phase: 'viewing', selectedFields: [], note: '' });
  });
});

describe('kiosk session after a reconnect', () => {
  it('shows a view it missed while disconnected, but keeps an answer given to the same view', async () => {
    const { startKioskSession } = await import('../../../renderer/kiosk/stores/kiosk-store.js');
    let current: KioskView = view;
    const api = {
      call: (async (method: string) => (method === 'kiosk.current' ? current : { ok: true })) as StationClient<'kiosk'>['call'],
      on: () => () => undefined,
    } as unknown as StationClient<'kiosk'>;
    const store = createKioskStore(api);
    const session = await startKioskSession(api, store);
    await store.getState().confirm();
    expect(store.getState().phase).toBe('confirmed');
    await session.resync();
    expect(store.getState().phase).toBe('confirmed');
    current = { kind: 'idle' };
    await session.resync();
    expect(store.getState()).toMatchObject({ view: { kind: 'idle' }, phase: 'viewing' });
    session.stop();
  });
});
