/**
 * Offers `text` to the user as a file named `fileName`, as a browser download: the same in the
 * desktop window and a browser tab, with no file system access of the page's own.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the click has started the download, not at once: that could cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
