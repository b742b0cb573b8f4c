import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SaveDialogOptions } from 'electron';
import { SavedFile } from '../../core/contract/station-files.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { FileSink, OutgoingFile } from '../../host/services/file-sink.js';

/** The save dialog as this module needs it (Electron's dialog.showSaveDialog for the staff window). */
export type ShowSaveDialog = (options: SaveDialogOptions) => Promise<{ canceled: boolean; filePath?: string | undefined }>;

const filters: Record<string, SaveDialogOptions['filters']> = {
  '.xlsx': [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
  '.csv': [{ name: 'CSV（逗号分隔）', extensions: ['csv'] }],
  '.pdf': [{ name: 'PDF 文档', extensions: ['pdf'] }],
  '.xqb': [{ name: '离线移交文件', extensions: ['xqb'] }],
};

/**
 * Electron's file sink: the supervisor picks the folder (often a USB stick) in a save dialog; the file is written
 * beside its target and renamed, so a pulled stick never holds a half file under the real name.
 */
export function createSaveDialogSink(deps: { showSaveDialog: ShowSaveDialog; defaultDir: () => string; write?: (file: string, data: Uint8Array) => Promise<void> }): FileSink {
  const write =
    deps.write ??
    (async (file: string, data: Uint8Array) => {
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, data);
      await rename(temporary, file);
    });
  return {
    async save(file: OutgoingFile) {
      const extension = path.extname(file.fileName).toLowerCase();
      const chosen = await deps.showSaveDialog({
        title: file.kind === 'handoff' ? '保存离线移交文件' : '保存导出文件',
        defaultPath: path.join(deps.defaultDir(), path.basename(file.fileName)),
        ...(filters[extension] ? { filters: filters[extension] } : {}),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      const base = { fileName: file.fileName, bytes: file.bytes.byteLength, sha256: sha256Hex(file.bytes) };
      if (chosen.canceled || !chosen.filePath) return SavedFile.parse({ ...base, cancelled: true });
      const target = path.extname(chosen.filePath) ? chosen.filePath : `${chosen.filePath}${extension}`;
      await write(target, file.bytes);
      return SavedFile.parse({ ...base, fileName: path.basename(target), savedTo: target });
    },
  };
}
