/** Decodes a multipart body with the platform's WHATWG parser: a test oracle, not server code. */
export async function decodeForm(body: Buffer | undefined, contentType: string): Promise<FormData> {
  const response = new Response(body, { headers: { 'content-type': contentType } });
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated for servers only
  return response.formData();
}
