// Hands bytes fetched with the Authorization header to the browser as a
// download (the token never goes into a URL): an object URL and <a download>.

/** Saves `blob` under `filename` (Japanese names kept as they are). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers read the URL after click() returns: revoke it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
