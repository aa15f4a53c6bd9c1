import type { Printer } from './printer.js';

export interface PrintableResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string | null;
  readonly body: Buffer;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType);
}

/** Pretty JSON when the body is JSON, the text otherwise; never throws on a malformed body. */
export function renderBody(response: PrintableResponse): string {
  const text = response.body.toString('utf8');
  if (isJson(response.contentType) && text.trim().length > 0) {
    try {
      return JSON.stringify(JSON.parse(text) as unknown, null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Success bodies go to stdout (for scripts); failures go to stderr prefixed with the status
 * line, so a pipeline never mistakes an error message for data.
 */
export function printResponse(printer: Printer, response: PrintableResponse): void {
  const rendered = renderBody(response);
  if (response.status >= 200 && response.status < 300) {
    printer.text(rendered);
    return;
  }
  const statusLine = `${response.status} ${response.statusText}`.trim();
  printer.error(rendered.length > 0 ? `${statusLine}\n${rendered}` : statusLine);
}
