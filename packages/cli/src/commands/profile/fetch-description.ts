import { AppError } from '@kiln/node-kit';
import {
  isSuccess,
  parseDescribeDocument,
  parseJsonBody,
  type ApiClient,
  type DescribeDocument,
} from '../../client/index.js';

/** GET `describe/` under the API root; the document the command tree is built from. */
export async function fetchDescription(
  client: ApiClient,
  apiUrl: string,
): Promise<DescribeDocument> {
  const response = await client.send({
    method: 'GET',
    url: new URL('describe/', apiUrl).toString(),
  });
  if (!isSuccess(response)) {
    const body = response.body.toString('utf8').trim();
    throw new AppError(
      'CLI_DESCRIBE_FAILED',
      `Fetching the API description failed: ${response.status} ${response.statusText}${body ? `\n${body}` : ''}`,
    );
  }
  if (!(response.contentType ?? '').startsWith('application/json')) {
    throw new AppError(
      'CLI_DESCRIBE_FAILED',
      `Expected application/json from describe/, got: ${response.contentType ?? '(none)'}`,
    );
  }
  return parseDescribeDocument(parseJsonBody(response));
}
