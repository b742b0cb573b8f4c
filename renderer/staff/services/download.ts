/**
 * Offers a file the host saved for download (browser host: a one-time same-origin path) the way a browser does
 * for a link with `download`: the user's download folder, or the browser's own save dialog.
 */
export function downloadFromHost(path: string, fileName: string, doc: Document = document): void {
  const link = doc.createElement('a');
  link.href = path;
  link.download = fileName;
  link.rel = 'noopener';
  doc.body.append(link);
  link.click();
  link.remove();
}
