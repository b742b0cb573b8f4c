import { describe, expect, it } from 'vitest';
import { createSaveDialogSink } from '../../../electron/main/file-sink.js';

const bundle = { fileName: '离线移交-ZZ01-2026-11-23.xqb', bytes: new Uint8Array([1, 2, 3]), mime: 'application/octet-stream', kind: 'handoff' as const };

describe('save dialog sink (Electron)', () => {
  it('writes where the supervisor chose, adding the extension when the name has none', async () => {
    const writes: [string, number][] = [];
    const asked: unknown[] = [];
    const sink = createSaveDialogSink({
      showSaveDialog: async (options) => {
        asked.push(options);
        return { canceled: false, filePath: 'E:\\移交\\今天' };
      },
      defaultDir: () => '/home/op/Documents',
      write: async (file, data) => {
        writes.push([file, data.byteLength]);
      },
    });
    const saved = await sink.save(bundle);
    expect(writes).toEqual([['E:\\移交\\今天.xqb', 3]]);
    expect(saved).toMatchObject({ savedTo: 'E:\\移交\\今天.xqb', bytes: 3 });
    expect(asked[0]).toMatchObject({ title: '保存离线移交文件', defaultPath: '/home/op/Documents/离线移交-ZZ01-2026-11-23.xqb', filters: [{ extensions: ['xqb'] }] });
  });

  it('writes nothing when the dialog is cancelled', async () => {
    let wrote = false;
    const sink = createSaveDialogSink({
      showSaveDialog: async () => ({ canceled: true }),
      defaultDir: () => '/tmp',
      write: async () => {
        wrote = true;
      },
    });
    expect(await sink.save(bundle)).toMatchObject({ cancelled: true, bytes: 3 });
    expect(wrote).toBe(false);
  });
});
