import type { Page } from '@playwright/test';

export interface OpenedRecord {
  id: string;
  version: number;
  content: Record<string, unknown>;
}

/** The station's data key (base64) through the staff API, the way the staff window gets it. */
export async function stationDataKey(staffCall: (method: string, payload: unknown) => Promise<unknown>): Promise<string> {
  const reply = (await staffCall('storage.dataKey', {})) as { ok: boolean; value?: { keyBase64: string } };
  if (!reply.ok || !reply.value) throw new Error(`storage.dataKey failed: ${JSON.stringify(reply)}`);
  return reply.value.keyBase64;
}

/**
 * The staff window's saved confirmations (schema 5: sealed at rest), opened in the page with the data key.
 * Written independently of renderer/confirmations (AES-GCM, additional data binding the row's plain fields),
 * so a test reading records also checks the stored format; ids given: those records only, in that order.
 */
export function readSealedRecords(page: Page, keyBase64: string, ids?: readonly string[]): Promise<OpenedRecord[]> {
  return page.evaluate(
    async ({ keyBase64, ids }) => {
      const raw = Uint8Array.from(atob(keyBase64), (c) => c.charCodeAt(0));
      const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('xianchang-station');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => resolve(open.result);
      });
      type Row = { id: string; citizenHash: string; version: number; supersedes?: string; savedAt: string; contentSha256: string; sealed: { iv: Uint8Array<ArrayBuffer>; cipher: Uint8Array<ArrayBuffer> } };
      const rows = await new Promise<Row[]>((resolve, reject) => {
        const all = db.transaction('sealedConfirmations').objectStore('sealedConfirmations').getAll();
        all.onerror = () => reject(all.error);
        all.onsuccess = () => resolve(all.result as Row[]);
      });
      db.close();
      const wanted = ids ? ids.map((id) => rows.find((row) => row.id === id)).filter((row) => row !== undefined) : rows;
      const out = [];
      for (const row of wanted) {
        const binding = [row.id, row.citizenHash, String(row.version), row.supersedes ?? '', row.savedAt, row.contentSha256].join('\u0000');
        const additionalData = new TextEncoder().encode(`xianchang-station/confirmation/v1\u0000${binding}`);
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: row.sealed.iv, additionalData }, key, row.sealed.cipher);
        const { content } = JSON.parse(new TextDecoder().decode(plain)) as { content: Record<string, unknown> };
        out.push({ id: row.id, version: row.version, content });
      }
      return out;
    },
    { keyBase64, ids: ids ? [...ids] : undefined },
  );
}
