import type { Settings } from '../../config/settings';
import { blobContainer, readBlobText } from '../../storage/blob';
import { parseImportFile, resolveImport } from '../import-file';
import type { CertSource, PersonReport, SourceContext, SourceReport } from './types';

/** An import file in the `cert-imports` blob container, at the path the partner configured. */
export class ImportFileSource implements CertSource {
  readonly name = 'import' as const;

  constructor(private readonly settings: Pick<Settings, 'AzureWebJobsStorage' | 'AzureWebJobsStorage__blobServiceUri' | 'AzureWebJobsStorage__clientId' | 'CERT_IMPORTS_CONTAINER'>) {}

  appliesTo(ctx: SourceContext): boolean {
    return !!ctx.config.importBlob;
  }

  async collect(ctx: SourceContext): Promise<SourceReport> {
    const path = ctx.config.importBlob!;
    const report: SourceReport = { source: 'import', persons: new Map(), problems: [], requests: 1 };
    let text: string | undefined;
    try {
      text = await readBlobText(await blobContainer(this.settings, this.settings.CERT_IMPORTS_CONTAINER), path);
    } catch (e) {
      report.unavailable = `import file ${path} could not be read: ${(e as Error).message}`;
      return report;
    }
    if (text === undefined) {
      report.unavailable = `import file ${path} does not exist in container ${this.settings.CERT_IMPORTS_CONTAINER}`;
      return report;
    }
    const resolved = resolveImport(parseImportFile(text, path), ctx.professionals);
    report.problems = resolved.errors.map((e) => `${path} line ${e.line}: ${e.reason}`);
    for (const [id, certifications] of resolved.byPerson) {
      const person: PersonReport = { status: 'ok', certifications, complete: !resolved.incomplete.has(id), ignored: [] };
      report.persons.set(id, person);
    }
    return report;
  }
}
