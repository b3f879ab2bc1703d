/** A target turns the shared site files into one package: its manifest, runtime and schemas. */
import type { CompiledCourse, TargetName } from '../model.ts';
import type { Memo } from '../memo.ts';
import type { Files, RenderedBody } from '../render/site.ts';
import type { RuntimeEntry } from '../runtime/bundle.ts';

/** Which runtime adapter a target's bundle carries. */
export type { RuntimeEntry };

export interface Target {
  name: TargetName;
  /** The runtime its package carries (none is bundled for a target that assembles its package). */
  runtime: RuntimeEntry;
  /** CSP `connect-src`: where the runtime may send data. */
  connectSrc: string;
  /** A zip for an LMS, or a plain folder. */
  output: 'zip' | 'folder';
  /** File extension of the zip; `.zip` unless the LMS expects another (`.imscc`). */
  extension?: string;
  /**
   * Builds the whole package from the course, its rendered page bodies (by page id) and its assets,
   * in place of the shared site, the runtime and the shell: for a package the LMS plays in its own
   * pages, with no script of ours. With a memo, what is unchanged since the last build is not made again.
   */
  assemble?(compiled: CompiledCourse, bodies: Map<string, RenderedBody>, assets: Files, memo?: Memo): Promise<Files>;
  /**
   * Files only this target has (manifest, schemas), given the package's content files
   * (sorted, `/`-separated): a manifest must list every one of them.
   */
  extraFiles(compiled: CompiledCourse, contentFiles: string[]): Promise<Files>;
}

/** A target whose package is the shared site with the runtime of the same name, zipped for an LMS. */
export function lmsTarget(
  name: TargetName & RuntimeEntry,
  connectSrc: string,
  extraFiles: Target['extraFiles'],
): Target {
  return { name, runtime: name, connectSrc, output: 'zip', extraFiles };
}
