/**
 * Ids across the whole course: unique pages, modules and blocks; page ids that differ in more than
 * case (they name files); module ids a folder name gives; and no block or module whose element ids
 * in the page would clash with the course shell's own (`cp-page`, `cp-prev`, …).
 */
import type { Interaction, Module, SourcePlace } from '../model.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { blockElementIds } from '../blocks.ts';
import type { ShellIds } from '../themes.ts';
import type { PageResult } from './page.ts';
import type { ModuleEntry } from './structure.ts';

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

function where(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.column}`;
}

export function checkModuleIds(entries: ModuleEntry[], modules: Module[], diagnostics: Diagnostics): void {
  entries.forEach((entry, i) => {
    if (entry.idFromFolder && !ID.test(entry.id)) {
      diagnostics.error('invalid-id', modules[i].source, undefined,
        `Module folder \`${entry.folder}\` gives the module id \`${entry.id}\`, which is not valid`,
        'Rename the folder (letters, digits, - and _ after its number), or set `id:` in its index.md.');
    }
  });
  const seen = new Map<string, string>();
  for (const module of modules) {
    const first = seen.get(module.id);
    if (first) {
      diagnostics.error('duplicate-id', module.source, undefined, `Duplicate module id \`${module.id}\``,
        `Also used by ${first}; set a distinct \`id:\` in the module's index.md.`);
    } else seen.set(module.id, module.source);
  }
}

export function collectInteractions(results: PageResult[], diagnostics: Diagnostics): Map<string, Interaction> {
  const all = new Map<string, Interaction>();
  for (const interaction of results.flatMap((r) => r.interactions)) {
    const first = all.get(interaction.id);
    if (first) {
      diagnostics.error('duplicate-id', interaction.source.file, interaction.source,
        `Duplicate id \`${interaction.id}\``, `First used at ${where(first.source)}; every block id must be unique in the course.`);
    } else all.set(interaction.id, interaction);
  }
  return all;
}

/** Page ids name the page files: two that differ only in case overwrite each other on Windows and macOS. */
export function checkUniquePages(results: PageResult[], diagnostics: Diagnostics): void {
  const seen = new Map<string, { id: string; source: string }>();
  for (const { page, idPlace } of results) {
    if (!page) continue;
    const first = seen.get(page.id.toLowerCase());
    if (!first) seen.set(page.id.toLowerCase(), page);
    else if (first.id === page.id) {
      diagnostics.error('duplicate-id', page.source, idPlace ?? undefined, `Duplicate page id \`${page.id}\``,
        `Also used by ${first.source}; give each page its own \`id:\` in the front matter.`);
    } else {
      diagnostics.error('duplicate-id', page.source, idPlace ?? undefined,
        `Page id \`${page.id}\` differs from \`${first.id}\` (${first.source}) only in case`,
        'Page files are named after their ids and would overwrite each other on Windows and macOS; make the ids differ in more than case.');
    }
  }
}

/** Element ids of the shell, of each module's entry in the contents and of every block must not clash. */
export function checkElementIds(shell: ShellIds, modules: Module[], interactions: Iterable<Interaction>, diagnostics: Diagnostics): void {
  const owners = new Map<string, string>(shell.fixed.map((id) => [id, 'the course shell']));
  const hint = `Choose another id: the shell uses ${shell.fixed.map((id) => `\`${id}\``).join(', ')}.`;
  for (const module of modules) {
    for (const id of shell.perModule.map((template) => template.replace('{{id}}', module.id))) {
      if (owners.has(id)) {
        diagnostics.error('reserved-id', module.source, undefined,
          `Module id \`${module.id}\` gives the element id \`${id}\`, which ${owners.get(id)} already uses`, hint);
      } else owners.set(id, `module \`${module.id}\``);
    }
  }
  const perPage = new Map<string, Map<string, string>>();
  for (const interaction of interactions) {
    const page = perPage.get(interaction.pageId) ?? new Map<string, string>();
    perPage.set(interaction.pageId, page);
    for (const id of blockElementIds(interaction.id)) {
      const owner = owners.get(id) ?? page.get(id);
      if (owner) {
        diagnostics.error('reserved-id', interaction.source.file, interaction.source,
          `Block id \`${interaction.id}\` gives the element id \`${id}\`, which ${owner} already uses`, hint);
        break;
      }
      page.set(id, `block \`${interaction.id}\``);
    }
  }
}
