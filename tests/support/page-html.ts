/**
 * The rendered body of a page, as every package but the cartridge carries it in its fragment:
 * for tests that read what a page says. The model holds the body as a tree.
 */
import type { CompiledCourse, Page } from '../../src/model.ts';
import { renderBody } from '../../src/render/body.ts';
import { readStrings } from '../../src/themes.ts';

export function pageHtml({ course }: CompiledCourse, page: Page): string {
  return renderBody(page.body, { assistant: course.assistant, strings: readStrings(course.theme, course.language) });
}
