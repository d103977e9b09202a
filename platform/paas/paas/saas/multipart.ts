/** A multipart/form-data body: text fields, and file fields with their name and bytes. */
export interface FormParts {
  fields: Record<string, string>;
  files: Record<string, { filename: string; data: Buffer }>;
}

/**
 * Split a multipart/form-data body (RFC 7578) held in memory. Only what a browser form sends is
 * read: each part's Content-Disposition name (and filename); other part headers are ignored.
 */
export function parseMultipart(body: Buffer, contentType: string): FormParts {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('expected a multipart/form-data body with a boundary');
  const sep = Buffer.from(`--${boundary}`);
  const out: FormParts = { fields: {}, files: {} };
  let at = body.indexOf(sep);
  while (at >= 0) {
    const start = at + sep.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(sep, start);
    if (next < 0) throw new Error('expected the closing boundary of the form body');
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new Error('expected part headers in the form body');
    const head = part.subarray(0, headEnd).toString('utf8');
    const data = part.subarray(headEnd + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) out.files[name] = { filename, data: Buffer.from(data) };
      else out.fields[name] = data.toString('utf8');
    }
    at = next;
  }
  return out;
}
