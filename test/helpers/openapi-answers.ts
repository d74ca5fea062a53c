import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks real HTTP answers against the served OpenAPI document with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses),
 * and keeps which operations had which answers, so a test can require every operation to have been exercised.
 */

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
}

export interface CheckedAnswer {
  operation: string;
  url: string;
  status: number;
  problems: string[];
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class AnswerValidator {
  private readonly ajv: Ajv2020;
  readonly answers: CheckedAnswer[] = [];
  private static readonly ID = 'https://pcs-tracker.local/openapi.json';

  constructor(readonly doc: OpenApiDocument) {
    // strict: false because the document is not a schema (paths, info...), and OpenAPI keywords such as `example` sit in schemas.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, AnswerValidator.ID);
  }

  /** Every operation of the document as `METHOD /path`. */
  operations(): string[] {
    return Object.entries(this.doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`));
  }

  /** The documented responses of `METHOD /path`. */
  responsesOf(operation: string): Record<string, unknown> {
    const [method, path] = operation.split(' ') as [string, string];
    return this.doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  }

  /** Validates one answer of `operation` (`METHOD /path` as in the document) and records it. */
  check(operation: string, url: string, status: number, contentType: string | null, body: unknown): CheckedAnswer {
    const [method, path] = operation.split(' ') as [string, string];
    const problems: string[] = [];
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) problems.push(`${operation} is not in the document`);
    const response = op?.responses[String(status)];
    if (op && !response) problems.push(`status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')}); body: ${JSON.stringify(body).slice(0, 300)}`);
    if (response?.content) {
      const mediaType = (contentType ?? '').split(';')[0]!.trim();
      const media = response.content[mediaType];
      if (!media) problems.push(`content type "${mediaType}" is not documented for ${status} (documented: ${Object.keys(response.content).join(', ')})`);
      else if (media.schema !== undefined) {
        const ref = `${AnswerValidator.ID}#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`;
        const validate = this.ajv.getSchema(ref);
        if (!validate) problems.push(`no schema at ${ref}`);
        else if (!validate(body)) {
          for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
        }
      }
    }
    const answer = { operation, url, status, problems };
    this.answers.push(answer);
    return answer;
  }
}
