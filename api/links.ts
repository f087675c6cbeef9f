/** Absolute URLs of API resources, from the configured public URL only: a request's Host header is the client's to set. */
export function resourceUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
